// llama.cpp's prompt processing as the reference for the trainer's speed: the given token ids decoded as one batch
// (logits for the last position only, as a prompt is processed before generation), on a fresh KV cache each round.
using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;
using Socratic.Inference.Models;

namespace Socratic.Inference.Benchmarks;

public static class PromptProcessingBenchmark
{
    /// <summary>Loads <paramref name="modelPath"/> (untimed), runs one warm-up round, then <paramref name="rounds"/>
    /// timed rounds of decoding <paramref name="tokens"/>; returns the tokens/s of each timed round.</summary>
    public static IReadOnlyList<double> Run(string modelPath, int[] tokens, int threads, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens.Length, 1);
        NativeRuntime.EnsureConfigured(null, forwardNativeLogs: false);
        ModelFileValidator.EnsureGguf(modelPath);
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)tokens.Length,
            BatchSize = (uint)tokens.Length,
            UBatchSize = (uint)tokens.Length,
            Threads = threads,
            BatchThreads = threads,
            GpuLayerCount = 0,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        var rates = new List<double>();
        for (var round = -1; round < rounds; round++)
        {
            context.NativeHandle.MemoryClear(true);
            var batch = new LLamaBatch();
            for (var i = 0; i < tokens.Length; i++)
            {
                batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
            }

            var clock = Stopwatch.StartNew();
            var result = context.NativeHandle.Decode(batch);
            clock.Stop();
            if (result != DecodeResult.Ok)
            {
                throw new LLama.Exceptions.LLamaDecodeError(result);
            }

            if (round >= 0)
            {
                rates.Add(tokens.Length / clock.Elapsed.TotalSeconds);
            }
        }

        return rates;
    }
}
