// Makes llama-family models (llama, qwen2, qwen3) from nothing: random weights of a chosen shape plus a tokenizer borrowed from a donor
// GGUF (all tokenizer.* metadata, e.g. stories260K's 512-token SentencePiece vocabulary).
using Socratic.Training.Gguf;
using Socratic.Training.Model;

namespace Socratic.Training;

/// <summary>Shape of a model to create. Vocabulary size comes from the tokenizer donor.</summary>
/// <param name="TiedOutput">true: no output.weight, logits use token_embd (saves Vocab×Dim parameters).</param>
/// <param name="Arch">llama, qwen2 (q/k/v biases) or qwen3 (per-head q/k norms).</param>
public sealed record ModelShape(
    int Dim = 64, int Layers = 4, int Heads = 4, int KvHeads = 4, int FfnDim = 172, int ContextLength = 512,
    float RmsEps = 1e-5f, float RopeBase = 10000f, bool TiedOutput = false, string Arch = "llama");

public static class ModelFactory
{
    /// <summary>Writes a random GGUF of <paramref name="shape"/>'s architecture to <paramref name="outputPath"/> and returns the model.
    /// <paramref name="chatTemplate"/> (a Jinja string) becomes tokenizer.chat_template; null keeps the donor's, if any.</summary>
    public static LlamaModel CreateLlama(ModelShape shape, string tokenizerDonorGguf, int seed, string? chatTemplate, string outputPath, string? name = null)
    {
        var donor = GgufFile.Read(tokenizerDonorGguf);
        var tokens = donor.Get("tokenizer.ggml.tokens") ?? throw new InvalidDataException($"{tokenizerDonorGguf}: no tokenizer.ggml.tokens");
        int vocab = ((Array)tokens.Value).Length;
        var meta = donor.Metadata.Where(kv => kv.Key.StartsWith("tokenizer.", StringComparison.Ordinal)
            && (chatTemplate is null || kv.Key != "tokenizer.chat_template")).ToList();
        if (chatTemplate is not null) meta.Add(new("tokenizer.chat_template", GgufValue.Of(chatTemplate)));
        var cfg = new LlamaConfig(shape.Dim, shape.Layers, shape.Heads, shape.KvHeads, shape.FfnDim, vocab,
            shape.RmsEps, shape.RopeBase, 0, shape.ContextLength, shape.Arch);
        var model = CreateRandom(cfg, seed, shape.TiedOutput, meta);
        ModelWriter.Save(model, outputPath, name ?? "socratic-random");
        return model;
    }

    /// <summary>An in-memory random model. Matrices ~ N(0, std²) with std = <paramref name="initStd"/>
    /// (default 0.02, GPT-2 style) and the residual-output projections scaled by 1/sqrt(2·layers); norms = 1;
    /// qwen2 biases = 0.</summary>
    public static LlamaModel CreateRandom(LlamaConfig cfg, int seed, bool tiedOutput = false,
        IReadOnlyList<KeyValuePair<string, GgufValue>>? metadata = null, float initStd = 0.02f)
    {
        cfg.Validate();
        var rng = new Random(seed);
        float residualStd = initStd / MathF.Sqrt(2 * cfg.Layers);
        Param M(string name, int nIn, int nOut, float std)
        {
            var d = new float[nIn * nOut];
            for (int i = 0; i < d.Length; i++) d[i] = (float)(Gaussian(rng) * std);
            return new Param(name, [nIn, nOut], d);
        }
        static Param Zeros(string name, int n) => new(name, [n], new float[n]);
        static Param Ones(string name, int n)
        {
            var d = new float[n];
            Array.Fill(d, 1f);
            return new Param(name, [n], d);
        }
        var emb = M("token_embd.weight", cfg.Dim, cfg.Vocab, initStd);
        var blocks = new LlamaBlock[cfg.Layers];
        for (int l = 0; l < cfg.Layers; l++)
        {
            string b = $"blk.{l}.";
            blocks[l] = new LlamaBlock
            {
                AttnNorm = Ones(b + "attn_norm.weight", cfg.Dim),
                Wq = M(b + "attn_q.weight", cfg.Dim, cfg.Dim, initStd),
                Wk = M(b + "attn_k.weight", cfg.Dim, cfg.KvDim, initStd),
                Wv = M(b + "attn_v.weight", cfg.Dim, cfg.KvDim, initStd),
                Wo = M(b + "attn_output.weight", cfg.Dim, cfg.Dim, residualStd),
                FfnNorm = Ones(b + "ffn_norm.weight", cfg.Dim),
                Gate = M(b + "ffn_gate.weight", cfg.Dim, cfg.FfnDim, initStd),
                Up = M(b + "ffn_up.weight", cfg.Dim, cfg.FfnDim, initStd),
                Down = M(b + "ffn_down.weight", cfg.FfnDim, cfg.Dim, residualStd),
                Bq = cfg.QkvBias ? Zeros(b + "attn_q.bias", cfg.Dim) : null,
                Bk = cfg.QkvBias ? Zeros(b + "attn_k.bias", cfg.KvDim) : null,
                Bv = cfg.QkvBias ? Zeros(b + "attn_v.bias", cfg.KvDim) : null,
                QNorm = cfg.QkNorm ? Ones(b + "attn_q_norm.weight", cfg.HeadDim) : null,
                KNorm = cfg.QkNorm ? Ones(b + "attn_k_norm.weight", cfg.HeadDim) : null,
            };
        }
        var output = tiedOutput ? null : M("output.weight", cfg.Dim, cfg.Vocab, initStd);
        return new LlamaModel(cfg, emb, blocks, Ones("output_norm.weight", cfg.Dim), output, metadata ?? []);
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
