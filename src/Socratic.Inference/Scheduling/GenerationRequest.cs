// One GenerateAsync call as the decode loop sees it: prompt tokens, its own sampler and detokenizer, its
// sequence slot and position in the shared context, and the completion the caller awaits. Only the decode
// loop thread mutates the decoding state; the caller's cancellation only completes the task, and the loop
// notices and frees the slot on its next step.
using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Native;
using Socratic.Core.Policies;
using Socratic.Inference.Generation;

namespace Socratic.Inference.Scheduling;

internal sealed class GenerationRequest : IDisposable
{
    private readonly TaskCompletionSource<GenerationResult> completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Action<string>? onToken;
    private readonly StopStringMatcher matcher;
    private readonly CancellationToken cancellationToken;
    private CancellationTokenRegistration registration;
    private StreamingTokenDecoder? decoder;
    private SafeLLamaSamplerChainHandle? sampler;
    private TimeSpan timeToFirstToken;

    public GenerationRequest(LLamaToken[] promptTokens, SamplingSettings sampling, Action<string>? onToken, CancellationToken cancellationToken)
    {
        PromptTokens = promptTokens;
        Sampling = sampling;
        this.onToken = onToken;
        this.cancellationToken = cancellationToken;
        matcher = new StopStringMatcher(sampling.Stop);
        Seed = sampling.Seed ?? (uint)Random.Shared.NextInt64(0, uint.MaxValue);
    }

    public LLamaToken[] PromptTokens { get; }

    public SamplingSettings Sampling { get; }

    public uint Seed { get; }

    public Task<GenerationResult> Task => completion.Task;

    /// <summary>True once the caller's task is settled (finished, failed or cancelled): the loop drops it.</summary>
    public bool IsDone => completion.Task.IsCompleted;

    /// <summary>Sequence id in the shared context while admitted; -1 while queued.</summary>
    public int SequenceId { get; private set; } = -1;

    /// <summary>Next KV position of this sequence (tokens decoded so far).</summary>
    public int Position { get; set; }

    /// <summary>How many prompt tokens have been submitted for prefill.</summary>
    public int PrefillOffset { get; set; }

    public bool IsPrefilling => PrefillOffset < PromptTokens.Length;

    /// <summary>The last sampled token, still to be decoded so its logits exist for the next sample.</summary>
    public LLamaToken? PendingToken { get; set; }

    /// <summary>Batch index whose logits this request samples from after the current decode; -1 for none.</summary>
    public int LogitIndex { get; set; } = -1;

    public int CompletionTokens { get; private set; }

    /// <summary>Hooks cancellation up; called once, right before the request is queued.</summary>
    public void Arm() =>
        registration = cancellationToken.Register(static state =>
        {
            var self = (GenerationRequest)state!;
            self.completion.TrySetCanceled(self.cancellationToken);
        }, this);

    /// <summary>Takes a sequence slot and creates the native per-request state (on the decode thread).</summary>
    public void Admit(int sequenceId, LLamaWeights weights, int repeatPenaltyWindow)
    {
        SequenceId = sequenceId;
        sampler = SamplerFactory.Create(Sampling, Seed, repeatPenaltyWindow);
        decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
    }

    /// <summary>Samples from this request's logits in the just-decoded batch and advances its state.</summary>
    public void SampleNext(SafeLLamaContextHandle context, SafeLlamaModelHandle.Vocabulary vocab, int contextSize)
    {
        var index = LogitIndex;
        LogitIndex = -1;
        var token = sampler!.Sample(context, index);
        if (CompletionTokens == 0)
        {
            timeToFirstToken = clock.Elapsed;
        }

        if (token.IsEndOfGeneration(vocab))
        {
            Finish(FinishReason.EndOfSequence);
            return;
        }

        CompletionTokens++;
        decoder!.Add(token);
        Emit(matcher.Append(decoder.Read()));
        if (matcher.Stopped)
        {
            Finish(FinishReason.Stop);
        }
        else if (CompletionTokens >= Sampling.MaxTokens)
        {
            Finish(FinishReason.Length);
        }
        else if (Position >= contextSize)
        {
            // The sampled token is kept but cannot be decoded: this sequence's KV cache is full.
            Finish(FinishReason.ContextFull);
        }
        else
        {
            PendingToken = token;
        }
    }

    public void Fail(Exception error) => completion.TrySetException(error);

    private void Finish(FinishReason reason)
    {
        PendingToken = null;
        Emit(matcher.Flush());
        completion.TrySetResult(new GenerationResult(
            matcher.Text, PromptTokens.Length, CompletionTokens, reason, timeToFirstToken, clock.Elapsed));
    }

    private void Emit(string piece)
    {
        if (piece.Length > 0 && onToken is not null && !IsDone)
        {
            onToken(piece);
        }
    }

    public void Dispose()
    {
        registration.Dispose();
        sampler?.Dispose();
        sampler = null;
    }
}
