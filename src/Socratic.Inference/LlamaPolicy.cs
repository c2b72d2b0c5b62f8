// IPolicy over the batched LLamaSharp runtime: formats the chat with the policy's template (and stops at its
// end-of-turn text), tokenizes on the caller's thread, rejects prompts that cannot fit a sequence, and hands the
// request to the shared decode loop of its (model, adapter) context.
using LLama;
using Socratic.Core.Policies;
using Socratic.Inference.Generation;
using Socratic.Inference.Scheduling;

namespace Socratic.Inference;

public sealed class LlamaPolicy : IPolicy
{
    private readonly LLamaWeights weights;
    private readonly ChatPromptFormatter formatter;
    private readonly BatchScheduler scheduler;
    private readonly int contextSize;

    internal LlamaPolicy(PolicySpec spec, LLamaWeights weights, ChatPromptFormatter formatter, BatchScheduler scheduler, int contextSize)
    {
        Spec = spec;
        this.weights = weights;
        this.formatter = formatter;
        this.scheduler = scheduler;
        this.contextSize = contextSize;
    }

    public PolicySpec Spec { get; }

    /// <summary>The loaded model this policy decodes with (shared with every policy on the same model path).</summary>
    public object Model => weights;

    /// <summary>Native batched decode calls made by this policy's context so far (shared by policies on the same context).</summary>
    public long DecodeCalls => scheduler.DecodeCalls;

    /// <summary>Counters of the decode loop this policy shares with every policy on the same (model, adapter) context.</summary>
    public SchedulerStats Stats => scheduler.Stats;

    /// <summary>Renders <paramref name="messages"/> with this policy's chat template (what the model will read).</summary>
    public string FormatPrompt(IReadOnlyList<ChatMessage> messages) => formatter.Format(messages);

    /// <summary>Counts the tokens of <paramref name="text"/> as this policy's model tokenizes a prompt.</summary>
    public int CountTokens(string text) => Tokenize(text).Length;

    public Task<GenerationResult> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        SamplingSettings sampling,
        Action<string>? onToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(sampling);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GenerationResult>(cancellationToken);
        }

        var tokens = Tokenize(formatter.Format(messages));
        if (tokens.Length > contextSize)
        {
            // Nothing was queued, so the runtime keeps no state for this request.
            return Task.FromException<GenerationResult>(new PromptTooLongException(tokens.Length, contextSize));
        }

        if (sampling.MaxTokens <= 0)
        {
            return Task.FromResult(new GenerationResult(string.Empty, tokens.Length, 0, FinishReason.Length, TimeSpan.Zero, TimeSpan.Zero));
        }

        if (formatter.TurnEnd is { } turnEnd && !sampling.Stop.Contains(turnEnd))
        {
            sampling = sampling with { Stop = [.. sampling.Stop, turnEnd] };
        }

        return scheduler.Enqueue(new GenerationRequest(tokens, sampling, onToken, cancellationToken));
    }

    private LLama.Native.LLamaToken[] Tokenize(string text) =>
        // The template already wrote any special tokens as text; parse them as special, and add BOS when the
        // vocabulary asks for it.
        weights.Tokenize(text, weights.Vocab.ShouldAddBOS, special: true, System.Text.Encoding.UTF8);
}
