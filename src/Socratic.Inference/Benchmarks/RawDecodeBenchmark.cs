// The reference points for the runtime: sequences decoded greedily with bare LLamaSharp calls — one sequence in a
// plain one-sequence context, or K sequences in one decode call per step — with no scheduler, queue, stop handling
// or streaming. The model is loaded once, so a benchmark can interleave reference and engine rounds: on a shared
// machine whose load drifts over minutes, measuring all of one side first biases the ratio (it did, by 10–40%).
using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Socratic.Inference.Models;

namespace Socratic.Inference.Benchmarks;

public sealed class RawDecodeBenchmark : IDisposable
{
    private readonly LLamaWeights weights;
    private readonly ModelParams single;
    private readonly ModelParams batched;
    private readonly int contextSize;
    private readonly int maxSequences;
    private LLamaContext? one;
    private LLamaContext? many;

    private RawDecodeBenchmark(LLamaWeights weights, ModelParams single, ModelParams batched, int contextSize, int maxSequences)
    {
        this.maxSequences = maxSequences;
        this.weights = weights;
        this.single = single;
        this.batched = batched;
        this.contextSize = contextSize;
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/> for decoding up to <paramref name="maxSequences"/> sequences of at most
    /// <paramref name="contextSize"/> tokens each. A single sequence gets its own <paramref name="contextSize"/>-cell
    /// context (the best case for one sequence); several share one context sized like the runtime's
    /// (<c>contextSize × maxSequences</c> cells in <paramref name="maxSequences"/> streams).
    /// <paramref name="flashAttention"/> follows <see cref="InferenceOptions.FlashAttention"/> (null: off on CPU).
    /// </summary>
    public static RawDecodeBenchmark Load(string modelPath, int threads, int maxSequences = 1, int contextSize = 512, bool? flashAttention = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequences, 1);
        NativeRuntime.EnsureConfigured(null, forwardNativeLogs: false);
        ModelFileValidator.EnsureGguf(modelPath);
        var flash = new InferenceOptions { FlashAttention = flashAttention }.EffectiveFlashAttention;
        var single = new ModelParams(modelPath)
        {
            ContextSize = (uint)contextSize, BatchSize = (uint)contextSize, Threads = threads, BatchThreads = threads, FlashAttention = flash,
        };
        var batched = new ModelParams(modelPath)
        {
            ContextSize = checked((uint)(contextSize * maxSequences)), SeqMax = (uint)maxSequences, BatchSize = (uint)contextSize,
            UBatchSize = (uint)contextSize, Threads = threads, BatchThreads = threads, FlashAttention = flash,
            KVUnified = false, // one KV stream per sequence, as the runtime's default; left null, LLamaSharp picks otherwise
        };
        return new RawDecodeBenchmark(LLamaWeights.LoadFromFile(single), single, batched, contextSize, maxSequences);
    }

    /// <summary>One-shot form: loads the model, decodes <paramref name="prompt"/> after <paramref name="warmupRuns"/> untimed runs.</summary>
    public static ThroughputResult Run(
        string modelPath, string prompt, int tokens, int threads, int contextSize = 512, int warmupRuns = 1, bool? flashAttention = null)
    {
        using var raw = Load(modelPath, threads, 1, contextSize, flashAttention);
        for (var i = 0; i < warmupRuns; i++)
        {
            _ = raw.Decode([prompt], tokens);
        }

        return raw.Decode([prompt], tokens);
    }

    /// <summary>
    /// Prefills every prompt (as many per decode call as the batch holds) and greedily decodes
    /// <paramref name="tokens"/> tokens for each, all sequences in one decode call per step, ignoring
    /// end-of-sequence so the count is exact. Returns the aggregate completion tokens per second, prefill included.
    /// </summary>
    public ThroughputResult Decode(IReadOnlyList<string> prompts, int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prompts.Count, 1);
        if (prompts.Count > maxSequences)
        {
            throw new ArgumentOutOfRangeException(nameof(prompts), prompts.Count, $"Loaded for at most {maxSequences} sequences.");
        }

        var ids = prompts.Select(p => weights.Tokenize(p, weights.Vocab.ShouldAddBOS, special: true, Encoding.UTF8)).ToArray();
        if (ids.Max(t => t.Length) + tokens > contextSize)
        {
            throw new ArgumentException($"Prompt ({ids.Max(t => t.Length)} tokens) plus {tokens} tokens exceed the context of {contextSize}.", nameof(tokens));
        }

        var context = prompts.Count == 1 ? one ??= weights.CreateContext(single) : many ??= weights.CreateContext(batched);
        context.NativeHandle.MemoryClear(true);
        var samplers = ids.Select(_ =>
        {
            var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
            chain.AddGreedySampler();
            return chain;
        }).ToArray();
        try
        {
            var cpu = ThroughputResult.ProcessCpuTime();
            var clock = Stopwatch.StartNew();
            var next = Prefill(context, ids, samplers);
            var positions = ids.Select(t => t.Length).ToArray();
            var logits = new int[ids.Length];
            var batch = new LLamaBatch();
            for (var produced = 1; produced < tokens; produced++)
            {
                batch.Clear();
                for (var s = 0; s < ids.Length; s++)
                {
                    logits[s] = batch.Add(next[s], positions[s]++, (LLamaSeqId)s, true);
                }

                Check(context.NativeHandle.Decode(batch));
                for (var s = 0; s < ids.Length; s++)
                {
                    next[s] = samplers[s].Sample(context.NativeHandle, logits[s]);
                }
            }

            return new ThroughputResult(ids.Length, tokens * ids.Length, clock.Elapsed, ThroughputResult.ProcessCpuTime() - cpu);
        }
        finally
        {
            foreach (var sampler in samplers)
            {
                sampler.Dispose();
            }
        }
    }

    /// <summary>
    /// Prompt tokens of all sequences in order, in decode calls of at most the batch size, as the runtime prefills;
    /// each sequence's first completion token is sampled right after the call that held its last prompt token
    /// (a later call overwrites the logits). Returns those first tokens.
    /// </summary>
    private LLamaToken[] Prefill(LLamaContext context, LLamaToken[][] ids, SafeLLamaSamplerChainHandle[] samplers)
    {
        var first = new LLamaToken[ids.Length];
        var batch = new LLamaBatch();
        var waiting = new List<(int Sequence, int Index)>();
        for (var s = 0; s < ids.Length; s++)
        {
            for (var i = 0; i < ids[s].Length; i++)
            {
                if (batch.TokenCount == contextSize)
                {
                    Flush();
                }

                var last = i == ids[s].Length - 1;
                var index = batch.Add(ids[s][i], i, (LLamaSeqId)s, last);
                if (last)
                {
                    waiting.Add((s, index));
                }
            }
        }

        Flush();
        return first;

        void Flush()
        {
            Check(context.NativeHandle.Decode(batch));
            foreach (var (sequence, index) in waiting)
            {
                first[sequence] = samplers[sequence].Sample(context.NativeHandle, index);
            }

            waiting.Clear();
            batch.Clear();
        }
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new LLama.Exceptions.LLamaDecodeError(result);
        }
    }

    public void Dispose()
    {
        one?.Dispose();
        many?.Dispose();
        weights.Dispose();
    }
}
