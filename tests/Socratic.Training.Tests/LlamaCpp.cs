// Reference runs through LLamaSharp (llama.cpp, CPU): tokenization and per-position logits,
// the ground truth the trainer's own forward pass is compared against.
using LLama;
using LLama.Common;
using LLama.Native;

namespace Socratic.Training.Tests;

internal static class LlamaCpp
{
    static readonly Lock Gate = new();

    public static ModelParams Params(string path, uint ctx = 256) => new(path)
    {
        ContextSize = ctx, GpuLayerCount = 0, Threads = 2, BatchSize = ctx, UBatchSize = ctx,
        // F32 KV cache and no flash attention: both would round K/V/Q to F16 on the CPU backend, and the
        // comparison should measure our maths, not llama.cpp's storage choices.
        TypeK = GGMLType.GGML_TYPE_F32, TypeV = GGMLType.GGML_TYPE_F32, FlashAttention = false,
    };

    public static int[] Tokenize(string modelPath, string text, bool addBos = true)
    {
        lock (Gate)
        {
            using var w = LLamaWeights.LoadFromFile(Params(modelPath));
            return w.Tokenize(text, addBos, false, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();
        }
    }

    /// <summary>Logits [T,V] for every position, optionally with a LoRA adapter applied at scale 1.</summary>
    public static float[] Logits(string modelPath, int[] tokens, string? loraPath = null)
    {
        lock (Gate)
        {
            var p = Params(modelPath);
            using var w = LLamaWeights.LoadFromFile(p);
            using var ctx = w.CreateContext(p);
            if (loraPath is not null)
            {
                var adapter = w.NativeHandle.LoadLoraFromFile(loraPath);
                ctx.NativeHandle.SetLoraAdapters([(adapter, 1f)]);
            }
            var batch = new LLamaBatch();
            for (int i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, true);
            var r = ctx.Decode(batch);
            if (r != DecodeResult.Ok) throw new InvalidOperationException($"decode failed: {r}");
            int v = w.Vocab.Count;
            var all = new float[tokens.Length * v];
            for (int i = 0; i < tokens.Length; i++) ctx.NativeHandle.GetLogitsIth(i).CopyTo(all.AsSpan(i * v, v));
            return all;
        }
    }

    /// <summary>Greedy continuation of <paramref name="prompt"/> as text.</summary>
    public static string Greedy(string modelPath, string prompt, int maxTokens, string? loraPath = null)
    {
        lock (Gate)
        {
            var p = Params(modelPath);
            using var w = LLamaWeights.LoadFromFile(p);
            using var ctx = w.CreateContext(p);
            if (loraPath is not null)
            {
                var adapter = w.NativeHandle.LoadLoraFromFile(loraPath);
                ctx.NativeHandle.SetLoraAdapters([(adapter, 1f)]);
            }
            var tokens = w.Tokenize(prompt, true, false, System.Text.Encoding.UTF8).Select(t => (int)t).ToList();
            int v = w.Vocab.Count;
            var batch = new LLamaBatch();
            for (int i = 0; i < tokens.Count; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Count - 1);
            var output = new List<int>();
            for (int step = 0; step < maxTokens; step++)
            {
                if (ctx.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("decode failed");
                var logits = ctx.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
                int best = 0;
                for (int i = 1; i < v; i++) if (logits[i] > logits[best]) best = i;
                if (best == 2) break; // EOS of both test vocabularies
                output.Add(best);
                batch.Clear();
                batch.Add(best, tokens.Count + output.Count - 1, LLamaSeqId.Zero, true);
            }
            var dec = new StreamingTokenDecoder(System.Text.Encoding.UTF8, w);
            foreach (var t in output) dec.Add(t);
            return dec.Read();
        }
    }
}
