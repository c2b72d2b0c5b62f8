// Continuous batching for one (model, LoRA adapter set): a single background thread owns one LLamaContext
// and, every step, decodes the pending token of each generating sequence plus as much queued prompt prefill
// as the batch size allows, all in ONE native decode call; then samples one token per sequence that produced
// logits. Finished or cancelled sequences free their KV cells at once and queued requests take their slots.
// llama.cpp contexts are not thread-safe, so nothing but the loop thread touches the context.
using System.Diagnostics;
using System.Threading.Channels;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Socratic.Core.Policies;

namespace Socratic.Inference.Scheduling;

internal sealed class BatchScheduler : IAsyncDisposable
{
    private readonly LLamaWeights weights;
    private readonly LLamaContext context;
    private readonly SafeLlamaModelHandle.Vocabulary vocab;
    private readonly InferenceOptions options;
    private readonly ILogger logger;
    private readonly Channel<GenerationRequest> queue = Channel.CreateUnbounded<GenerationRequest>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread thread;
    private long decodeCalls;
    private long decodedTokens;
    private long decodeTicks;
    private long sampleTicks;
    private int disposed;

    public BatchScheduler(string name, LLamaWeights weights, (LoraAdapter Adapter, float Scale)? adapter, InferenceOptions options, ILogger logger)
    {
        this.weights = weights;
        this.options = options;
        this.logger = logger;
        var parameters = new ModelParams(string.Empty)
        {
            // Every active sequence gets ContextSize cells; with a split (non-unified) cache llama.cpp gives each
            // of the SeqMax streams n_ctx / SeqMax cells.
            ContextSize = checked((uint)(options.ContextSize * options.MaxSequences)),
            SeqMax = (uint)options.MaxSequences,
            BatchSize = (uint)options.BatchSize,
            UBatchSize = (uint)options.BatchSize,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            KVUnified = options.UnifiedKvCache,
            FlashAttention = options.EffectiveFlashAttention,
            TypeK = options.KvCacheF32 ? GGMLType.GGML_TYPE_F32 : null,
            TypeV = options.KvCacheF32 ? GGMLType.GGML_TYPE_F32 : null,
        };
        context = weights.CreateContext(parameters);
        vocab = weights.Vocab;
        if (adapter is { } lora)
        {
            context.NativeHandle.SetLoraAdapters(new[] { (lora.Adapter, lora.Scale) });
        }

        thread = new Thread(Run) { IsBackground = true, Name = $"socratic-decode {name}" };
        thread.Start();
    }

    /// <summary>Native decode calls made so far (each one batch of all active sequences); for tests and benchmarks.</summary>
    public long DecodeCalls => Interlocked.Read(ref decodeCalls);

    public SchedulerStats Stats => new(
        Interlocked.Read(ref decodeCalls),
        Interlocked.Read(ref decodedTokens),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref decodeTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref sampleTicks)));

    public Task<GenerationResult> Enqueue(GenerationRequest request)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        request.Arm();
        if (!queue.Writer.TryWrite(request))
        {
            request.Dispose();
            throw new ObjectDisposedException(nameof(BatchScheduler));
        }

        return request.Task;
    }

    private void Run()
    {
        var active = new List<GenerationRequest>(options.MaxSequences);
        var free = new SequenceSlots(options.MaxSequences);
        var batch = new LLamaBatch();
        try
        {
            while (true)
            {
                if (stopping.IsCancellationRequested)
                {
                    var error = new ObjectDisposedException(nameof(BatchScheduler), "The inference runtime was disposed.");
                    foreach (var r in active)
                    {
                        r.Fail(error);
                    }

                    Release(active, free, static _ => true);
                    return;
                }

                Release(active, free, static r => r.IsDone);
                Admit(active, free);
                if (active.Count == 0)
                {
                    if (!WaitForWork())
                    {
                        return;
                    }

                    continue;
                }

                if (!FillBatch(batch, active))
                {
                    continue;
                }

                var decodeStart = Stopwatch.GetTimestamp();
                var result = context.NativeHandle.Decode(batch);
                var sampleStart = Stopwatch.GetTimestamp();
                Interlocked.Add(ref decodeTicks, sampleStart - decodeStart);
                Interlocked.Increment(ref decodeCalls);
                Interlocked.Add(ref decodedTokens, batch.TokenCount);
                if (result != DecodeResult.Ok)
                {
                    // The KV cache state after a failed decode is unknown: fail everyone in flight and start clean.
                    var error = new LLamaDecodeError(result);
                    logger.LogWarning("Batched decode failed with {Result} for {Count} sequences", result, active.Count);
                    foreach (var r in active)
                    {
                        r.Fail(error);
                    }

                    Release(active, free, static _ => true);
                    context.NativeHandle.MemoryClear(true);
                    continue;
                }

                foreach (var r in active)
                {
                    if (r.LogitIndex < 0 || r.IsDone)
                    {
                        r.LogitIndex = -1;
                        continue;
                    }

                    try
                    {
                        r.SampleNext(context.NativeHandle, vocab, options.ContextSize);
                    }
                    catch (Exception ex)
                    {
                        // A throwing onToken callback (or sampler) fails only its own request.
                        r.Fail(ex);
                    }
                }

                Interlocked.Add(ref sampleTicks, Stopwatch.GetTimestamp() - sampleStart);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Decode loop crashed");
            foreach (var r in active)
            {
                r.Fail(ex);
            }

            Release(active, free, static _ => true);
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var queued))
            {
                queued.Fail(ex);
                queued.Dispose();
            }
        }
        finally
        {
            batch.Clear();
            loopExited.TrySetResult();
        }
    }

    private bool WaitForWork()
    {
        try
        {
            return queue.Reader.WaitToReadAsync(stopping.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Admit(List<GenerationRequest> active, SequenceSlots free)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        var admitted = false;
        while (free.FreeCount > 0 && queue.Reader.TryRead(out var request))
        {
            if (request.IsDone)
            {
                request.Dispose(); // cancelled while queued
                continue;
            }

            free.TryTake(out var sequenceId);
            try
            {
                request.Admit(sequenceId, weights, options.RepeatPenaltyWindow);
            }
            catch (Exception ex)
            {
                free.Return(sequenceId);
                request.Fail(ex);
                request.Dispose();
                continue;
            }

            active.Add(request);
            admitted = true;
        }

        if (admitted)
        {
            // FillBatch walks this list, so the batch goes to llama.cpp in increasing sequence ids (see SequenceSlots).
            active.Sort(static (a, b) => a.SequenceId.CompareTo(b.SequenceId));
        }
    }

    /// <summary>
    /// Puts one pending token per generating sequence, then prompt chunks of prefilling sequences with what is left of
    /// the batch, into the batch in increasing sequence ids (one micro-batch for llama.cpp, see SequenceSlots); only a
    /// sequence's newest token asks for logits. Returns false when nothing needs decoding.
    /// </summary>
    private bool FillBatch(LLamaBatch batch, List<GenerationRequest> active)
    {
        batch.Clear();
        var budget = options.BatchSize - active.Count(r => r.PendingToken is not null);
        foreach (var r in active)
        {
            if (r.PendingToken is { } token)
            {
                r.LogitIndex = batch.Add(token, r.Position, (LLamaSeqId)r.SequenceId, true);
                r.Position++;
                r.PendingToken = null;
                continue;
            }

            if (!r.IsPrefilling || budget <= 0)
            {
                continue;
            }

            var count = Math.Min(budget, r.PromptTokens.Length - r.PrefillOffset);
            var last = r.PrefillOffset + count == r.PromptTokens.Length;
            for (var i = 0; i < count; i++)
            {
                var wantsLogits = last && i == count - 1;
                var index = batch.Add(r.PromptTokens[r.PrefillOffset + i], r.Position + i, (LLamaSeqId)r.SequenceId, wantsLogits);
                if (wantsLogits)
                {
                    r.LogitIndex = index;
                }
            }

            r.PrefillOffset += count;
            r.Position += count;
            budget -= count;
        }

        return batch.TokenCount > 0;
    }

    private void Release(List<GenerationRequest> active, SequenceSlots free, Func<GenerationRequest, bool> predicate)
    {
        for (var i = active.Count - 1; i >= 0; i--)
        {
            var r = active[i];
            if (!predicate(r))
            {
                continue;
            }

            // Drop the sequence's KV cells so the slot starts empty for the next request.
            context.NativeHandle.MemorySequenceRemove((LLamaSeqId)r.SequenceId, -1, -1);
            free.Return(r.SequenceId);
            r.Dispose();
            active.RemoveAt(i);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        await loopExited.Task.ConfigureAwait(false);

        // The loop has exited; whatever is still queued or was in flight never completes otherwise.
        var error = new ObjectDisposedException(nameof(BatchScheduler), "The inference runtime was disposed.");
        while (queue.Reader.TryRead(out var request))
        {
            request.Fail(error);
            request.Dispose();
        }

        context.Dispose();
        stopping.Dispose();
    }
}
