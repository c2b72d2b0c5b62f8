// The llama network in GGUF weight space: every base tensor dequantized to F32 and held as a Param, so the
// same object serves inference, LoRA training (base frozen) and full fine-tuning (all Params trainable).
// Forward/backward live in LlamaModel.Forward.cs; this file holds the weights and how they are loaded.
using Socratic.Training.Gguf;

namespace Socratic.Training.Model;

/// <summary>The nine weights of one transformer block (GGUF names blk.N.*), plus qwen2's q/k/v biases or qwen3's
/// per-head q/k norms.</summary>
public sealed class LlamaBlock
{
    public required Param AttnNorm { get; init; }
    public required Param Wq { get; init; }
    public required Param Wk { get; init; }
    public required Param Wv { get; init; }
    public required Param Wo { get; init; }
    public required Param FfnNorm { get; init; }
    public required Param Gate { get; init; }
    public required Param Up { get; init; }
    public required Param Down { get; init; }
    /// <summary>qwen2: attn_{q,k,v}.bias, ne [n_out].</summary>
    public Param? Bq { get; init; }
    public Param? Bk { get; init; }
    public Param? Bv { get; init; }
    /// <summary>qwen3: attn_{q,k}_norm.weight, ne [head_dim], shared by every head.</summary>
    public Param? QNorm { get; init; }
    public Param? KNorm { get; init; }

    public IEnumerable<Param> All() =>
        new[] { AttnNorm, Wq, Bq, Wk, Bk, Wv, Bv, QNorm, KNorm, Wo, FfnNorm, Gate, Up, Down }.OfType<Param>();
}

public sealed partial class LlamaModel
{
    public LlamaConfig Config { get; }
    public Param TokenEmbedding { get; }
    public LlamaBlock[] Blocks { get; }
    public Param OutputNorm { get; }
    /// <summary>The output projection; the very same Param as TokenEmbedding when the model is tied.</summary>
    public Param Output { get; }
    public bool TiedOutput => ReferenceEquals(Output, TokenEmbedding);
    /// <summary>Metadata of the file the model came from (tokenizer, names), carried into saved models.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    /// <summary>Adapters keyed by base weight name (e.g. "blk.0.attn_q.weight").</summary>
    public Dictionary<string, LoraPair> Lora { get; } = new(StringComparer.Ordinal);
    /// <summary>When false the adapters are ignored: the frozen base is the reference policy for DPO/GRPO.</summary>
    public bool LoraEnabled { get; set; } = true;

    public LlamaModel(LlamaConfig config, Param tokenEmbedding, LlamaBlock[] blocks, Param outputNorm, Param? output,
        IReadOnlyList<KeyValuePair<string, GgufValue>> metadata)
    {
        config.Validate();
        Config = config; TokenEmbedding = tokenEmbedding; Blocks = blocks; OutputNorm = outputNorm;
        Output = output ?? tokenEmbedding; Metadata = metadata;
    }

    public static LlamaModel Load(string path) => Load(GgufFile.Read(path));

    public static LlamaModel Load(GgufFile f)
    {
        var cfg = LlamaConfig.FromGguf(f);
        Param P(string name, params long[] expected)
        {
            var t = f.Tensor(name);
            if (!t.Ne.SequenceEqual(expected))
                throw new InvalidDataException($"{f.Path}: tensor '{name}' has ne [{string.Join(", ", t.Ne)}], expected [{string.Join(", ", expected)}]");
            return new Param(name, t.Ne, f.ReadF32(name));
        }
        var blocks = new LlamaBlock[cfg.Layers];
        for (int l = 0; l < cfg.Layers; l++)
        {
            string b = $"blk.{l}.";
            blocks[l] = new LlamaBlock
            {
                AttnNorm = P(b + "attn_norm.weight", cfg.Dim),
                Wq = P(b + "attn_q.weight", cfg.Dim, cfg.Dim),
                Wk = P(b + "attn_k.weight", cfg.Dim, cfg.KvDim),
                Wv = P(b + "attn_v.weight", cfg.Dim, cfg.KvDim),
                Wo = P(b + "attn_output.weight", cfg.Dim, cfg.Dim),
                FfnNorm = P(b + "ffn_norm.weight", cfg.Dim),
                Gate = P(b + "ffn_gate.weight", cfg.Dim, cfg.FfnDim),
                Up = P(b + "ffn_up.weight", cfg.Dim, cfg.FfnDim),
                Down = P(b + "ffn_down.weight", cfg.FfnDim, cfg.Dim),
                Bq = cfg.QkvBias ? P(b + "attn_q.bias", cfg.Dim) : null,
                Bk = cfg.QkvBias ? P(b + "attn_k.bias", cfg.KvDim) : null,
                Bv = cfg.QkvBias ? P(b + "attn_v.bias", cfg.KvDim) : null,
                QNorm = cfg.QkNorm ? P(b + "attn_q_norm.weight", cfg.HeadDim) : null,
                KNorm = cfg.QkNorm ? P(b + "attn_k_norm.weight", cfg.HeadDim) : null,
            };
        }
        var output = f.FindTensor("output.weight") is null ? null : P("output.weight", cfg.Dim, cfg.Vocab);
        return new LlamaModel(cfg, P("token_embd.weight", cfg.Dim, cfg.Vocab), blocks, P("output_norm.weight", cfg.Dim), output,
            f.Metadata.ToList());
    }

    /// <summary>Every base tensor once (a tied output is not listed twice), in GGUF file order.</summary>
    public IEnumerable<Param> BaseParams()
    {
        yield return TokenEmbedding;
        foreach (var b in Blocks)
            foreach (var p in b.All()) yield return p;
        yield return OutputNorm;
        if (!TiedOutput) yield return Output;
    }

    public IEnumerable<Param> LoraParams() => Lora.Values.SelectMany(p => new[] { p.A, p.B });

    /// <summary>Params that currently collect gradients (the optimizer's set).</summary>
    public IEnumerable<Param> TrainableParams() => BaseParams().Concat(LoraParams()).Where(p => p.Trainable);

    /// <summary>Adds fresh adapters on the configured targets of every block and freezes the base.</summary>
    public void AttachLora(LoraConfig cfg, int seed)
    {
        foreach (var t in cfg.EffectiveTargets)
            if (!LoraConfig.AllTargets.Contains(t)) throw new ArgumentException($"unknown LoRA target '{t}' (one of {string.Join(", ", LoraConfig.AllTargets)})");
        var rng = new Random(seed);
        foreach (var p in BaseParams()) p.SetTrainable(false);
        foreach (var b in Blocks)
            foreach (var w in new[] { b.Wq, b.Wk, b.Wv, b.Wo, b.Gate, b.Up, b.Down })
            {
                string kind = w.Name.Split('.')[2];
                if (!cfg.EffectiveTargets.Contains(kind)) continue;
                var pair = LoraPair.Create(w.Name, w.Cols, w.Rows, cfg, rng);
                pair.A.SetTrainable(true);
                pair.B.SetTrainable(true);
                Lora[w.Name] = pair;
            }
    }

    /// <summary>Full fine-tuning: every base tensor collects gradients.</summary>
    public void MakeAllTrainable()
    {
        foreach (var p in BaseParams()) p.SetTrainable(true);
    }

    /// <summary>Folds the adapters into the base weights (W += scale * B A) and removes them.</summary>
    public void MergeLora()
    {
        foreach (var (name, pair) in Lora)
        {
            var w = BaseParams().First(p => p.Name == name);
            int nIn = pair.NIn, nOut = pair.NOut, r = pair.Rank;
            for (int o = 0; o < nOut; o++)
                for (int j = 0; j < r; j++)
                {
                    float c = pair.Scale * pair.B.Data[o * r + j];
                    if (c == 0f) continue;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(
                        new ReadOnlySpan<float>(pair.A.Data, j * nIn, nIn), c, new ReadOnlySpan<float>(w.Data, o * nIn, nIn),
                        new Span<float>(w.Data, o * nIn, nIn));
                }
        }
        Lora.Clear();
    }

    /// <summary>A deep copy of the base weights (no adapters, nothing trainable): the frozen reference for full fine-tuning.</summary>
    public LlamaModel CloneBase()
    {
        static Param C(Param p) => new(p.Name, p.Ne, (float[])p.Data.Clone());
        var emb = C(TokenEmbedding);
        var blocks = Blocks.Select(b => new LlamaBlock
        {
            AttnNorm = C(b.AttnNorm), Wq = C(b.Wq), Wk = C(b.Wk), Wv = C(b.Wv), Wo = C(b.Wo),
            FfnNorm = C(b.FfnNorm), Gate = C(b.Gate), Up = C(b.Up), Down = C(b.Down),
        }).ToArray();
        return new LlamaModel(Config, emb, blocks, C(OutputNorm), TiedOutput ? null : C(Output), Metadata);
    }
}
