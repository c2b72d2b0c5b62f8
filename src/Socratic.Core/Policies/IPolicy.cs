// The seam between the game engine and whatever produces text (LLamaSharp in-process, or a remote
// OpenAI-compatible server later). Implementations batch concurrent calls: the engine plays many episodes
// as independent async flows and the runtime decodes their pending turns together.
namespace Socratic.Core.Policies;

public interface IPolicy
{
    PolicySpec Spec { get; }

    /// <summary>
    /// Generates the next assistant message for <paramref name="messages"/>. <paramref name="onToken"/> is called with
    /// each decoded text piece in order (possibly on a runtime thread; keep it cheap). Throws
    /// <see cref="PromptTooLongException"/> when the prompt does not fit the context.
    /// </summary>
    Task<GenerationResult> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        SamplingSettings sampling,
        Action<string>? onToken,
        CancellationToken cancellationToken);
}

public interface IPolicyProvider
{
    /// <summary>Returns a cached policy; loading a model happens once per process.</summary>
    Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken);
}

public enum FinishReason
{
    Stop,
    Length,
    EndOfSequence,
    ContextFull,
}

public sealed record GenerationResult(
    string Text,
    int PromptTokens,
    int CompletionTokens,
    FinishReason FinishReason,
    TimeSpan TimeToFirstToken,
    TimeSpan Elapsed);

public sealed class PromptTooLongException(int promptTokens, int contextSize)
    : InvalidOperationException($"The prompt has {promptTokens} tokens but the context holds {contextSize}.")
{
    public int PromptTokens { get; } = promptTokens;

    public int ContextSize { get; } = contextSize;
}

/// <summary>A model file that cannot be loaded; the message names the file.</summary>
public sealed class ModelLoadException(string path, string reason, Exception? inner = null)
    : InvalidOperationException($"Cannot load model '{path}': {reason}", inner)
{
    public string ModelPath { get; } = path;
}
