// A deterministic stand-in for a model, for game-logic tests of the engine only: it reads the environment's
// observation in its prompt and answers with a fixed rule (first free cell, a fixed yes, …). Every prompt it
// receives is kept, so tests can check what each role was shown.
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Environments;

internal sealed class ScriptedPolicy(string name, Func<string, string> reply) : IPolicy
{
    public PolicySpec Spec { get; } = new($"scripted:{name}");

    public List<string> Prompts { get; } = [];

    public Task<GenerationResult> GenerateAsync(
        IReadOnlyList<ChatMessage> messages, SamplingSettings sampling, Action<string>? onToken, CancellationToken cancellationToken)
    {
        var prompt = string.Join("\n", messages.Select(m => m.Content));
        lock (Prompts)
        {
            Prompts.Add(prompt);
        }

        var text = reply(messages[^1].Content);
        onToken?.Invoke(text);
        return Task.FromResult(new GenerationResult(text, prompt.Length, text.Length, FinishReason.Stop, TimeSpan.Zero, TimeSpan.Zero));
    }
}

/// <summary>Hands out scripted policies by their spec's model path.</summary>
internal sealed class ScriptedPolicies(params ScriptedPolicy[] policies) : IPolicyProvider
{
    public Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken) =>
        Task.FromResult<IPolicy>(policies.Single(p => p.Spec == spec));
}
