// A deterministic stand-in for a model in game-logic unit tests (judges, evaluation bookkeeping): a policy whose
// reply is a function of the messages it is shown. Such tests prove the scorer's or runner's logic (orders,
// consistency, parsing, counting), never a model's quality; JudgeInjectionTests and the eval CLI tests run real GGUFs.
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Scoring;

internal sealed class ScriptedPolicy(Func<IReadOnlyList<ChatMessage>, string> reply) : IPolicyProvider, IPolicy
{
    public List<(IReadOnlyList<ChatMessage> Messages, SamplingSettings Sampling)> Calls { get; } = [];

    public List<PolicySpec> Requested { get; } = [];

    public PolicySpec Spec { get; } = new("scripted.gguf");

    public Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken)
    {
        lock (Requested)
        {
            Requested.Add(spec);
        }

        return Task.FromResult<IPolicy>(this);
    }

    public Task<GenerationResult> GenerateAsync(IReadOnlyList<ChatMessage> messages, SamplingSettings sampling, Action<string>? onToken, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((messages, sampling));
        }

        var text = reply(messages);
        return Task.FromResult(new GenerationResult(text, 0, 0, FinishReason.Stop, TimeSpan.Zero, TimeSpan.Zero));
    }

    /// <summary>The text between the markers of answer <paramref name="label"/> ("A" or "B") in the judge's user message.</summary>
    public static string Shown(IReadOnlyList<ChatMessage> messages, string label)
    {
        var user = messages[^1].Content;
        var start = user.IndexOf($"<<<ANSWER {label}>>>\n", StringComparison.Ordinal) + $"<<<ANSWER {label}>>>\n".Length;
        var end = user.IndexOf($"\n<<<END ANSWER {label}>>>", StringComparison.Ordinal);
        return user[start..end];
    }
}
