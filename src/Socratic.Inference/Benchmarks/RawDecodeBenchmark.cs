// The reference point for the runtime's overhead: one sequence decoded with bare LLamaSharp calls (plain
// context, greedy, one token per decode call), with no scheduler, queue, stop handling or streaming.
using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Socratic.Inference.Models;

namespace Socratic.Inference.Benchmarks;

public static class RawDecodeBenchmark
{
    /// <summary>
    /// Loads <paramref name="modelPath"/> (outside the timed region), prefills <paramref name="prompt"/> and
    /// greedily decodes <paramref name="tokens"/> tokens, ignoring end-of-sequence so the count is exact.
    /// Prompt plus tokens must fit <paramref name="contextSize"/>. <paramref name="flashAttention"/> follows
    /// <see cref="InferenceOptions.FlashAttention"/> (null: off on CPU) so both benchmarks use the same attention kernel.
    /// </summary>
    public static ThroughputResult Run(
        string modelPath, string prompt, int tokens, int threads, int contextSize = 512, int warmupRuns = 1, bool? flashAttention = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        NativeRuntime.EnsureConfigured(null, forwardNativeLogs: false);
        ModelFileValidator.EnsureGguf(modelPath);
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)contextSize,
            BatchSize = (uint)contextSize,
            Threads = threads,
            BatchThreads = threads,
            FlashAttention = new InferenceOptions { FlashAttention = flashAttention }.EffectiveFlashAttention,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        var promptTokens = weights.Tokenize(prompt, weights.Vocab.ShouldAddBOS, special: true, Encoding.UTF8);
        if (promptTokens.Length + tokens > contextSize)
        {
            throw new ArgumentException($"Prompt ({promptTokens.Length} tokens) plus {tokens} tokens exceed the context of {contextSize}.", nameof(tokens));
        }

        using var context = weights.CreateContext(parameters);
        for (var i = 0; i < warmupRuns; i++)
        {
            _ = Decode(context, promptTokens, tokens);
        }

        return Decode(context, promptTokens, tokens);
    }

    private static ThroughputResult Decode(LLamaContext context, LLamaToken[] promptTokens, int tokens)
    {
        context.NativeHandle.MemoryClear(true);
        using var sampler = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        sampler.AddGreedySampler();
        var batch = new LLamaBatch();
        var cpu = ThroughputResult.ProcessCpuTime();
        var clock = Stopwatch.StartNew();

        batch.AddRange(promptTokens, 0, LLamaSeqId.Zero, true);
        Check(context.NativeHandle.Decode(batch));
        var position = promptTokens.Length;
        var logits = batch.TokenCount - 1;
        for (var produced = 0; produced < tokens; produced++)
        {
            var token = sampler.Sample(context.NativeHandle, logits);
            if (produced == tokens - 1)
            {
                break; // the last token needs no decode: nothing samples after it
            }

            batch.Clear();
            logits = batch.Add(token, position++, LLamaSeqId.Zero, true);
            Check(context.NativeHandle.Decode(batch));
        }

        return new ThroughputResult(1, tokens, clock.Elapsed, ThroughputResult.ProcessCpuTime() - cpu);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new LLama.Exceptions.LLamaDecodeError(result);
        }
    }
}
