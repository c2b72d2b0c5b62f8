// Shape and numerical conventions of a llama-family model, read from GGUF metadata with llama.cpp's defaults.
// Three architectures share the network: llama; qwen2 = llama + biases on q/k/v; qwen3 = llama + an RMSNorm of
// every query and key head (no biases). Both Qwen variants rotate with llama.cpp's NEOX RoPE (pairs i, i + n/2);
// llama with its "normal" RoPE (adjacent pairs). Keys are read under the architecture's own prefix ("qwen2.*").
using Socratic.Training.Gguf;

namespace Socratic.Training.Model;

/// <param name="Dim">ARCH.embedding_length (ARCH = llama, qwen2 or qwen3; likewise below)</param>
/// <param name="Layers">llama.block_count</param>
/// <param name="Heads">llama.attention.head_count</param>
/// <param name="KvHeads">llama.attention.head_count_kv (GQA when smaller than Heads)</param>
/// <param name="FfnDim">llama.feed_forward_length</param>
/// <param name="Vocab">rows of token_embd.weight</param>
/// <param name="RmsEps">llama.attention.layer_norm_rms_epsilon (llama.cpp default 1e-5)</param>
/// <param name="RopeBase">llama.rope.freq_base (default 10000)</param>
/// <param name="RopeDims">llama.rope.dimension_count (default head size): the leading dims of each head that rotate</param>
/// <param name="ContextLength">llama.context_length</param>
/// <param name="Arch">general.architecture: "llama", "qwen2" or "qwen3"</param>
public sealed record LlamaConfig(
    int Dim, int Layers, int Heads, int KvHeads, int FfnDim, int Vocab,
    float RmsEps = 1e-5f, float RopeBase = 10000f, int RopeDims = 0, int ContextLength = 2048, string Arch = "llama")
{
    public static IReadOnlyList<string> Architectures { get; } = ["llama", "qwen2", "qwen3"];

    public int HeadDim => Dim / Heads;
    public int KvDim => KvHeads * HeadDim;
    public int RotDims => RopeDims > 0 ? RopeDims : HeadDim;
    /// <summary>qwen2: attn_q/k/v carry bias vectors.</summary>
    public bool QkvBias => Arch == "qwen2";
    /// <summary>qwen3: attn_q_norm / attn_k_norm, an RMSNorm over each head before RoPE.</summary>
    public bool QkNorm => Arch == "qwen3";
    /// <summary>llama.cpp's NEOX RoPE (rotate pairs i, i + n_rot/2) instead of adjacent pairs.</summary>
    public bool RopeNeox => Arch is "qwen2" or "qwen3";

    public static LlamaConfig FromGguf(GgufFile f)
    {
        string arch = f.GetString("general.architecture");
        if (!Architectures.Contains(arch))
            throw new NotSupportedException($"{f.Path}: architecture '{arch}' is not supported ({string.Join(", ", Architectures)} are)");
        int dim = (int)f.GetLong(arch + ".embedding_length");
        int heads = (int)f.GetLong(arch + ".attention.head_count");
        var emb = f.Tensor("token_embd.weight");
        var cfg = new LlamaConfig(
            Dim: dim,
            Layers: (int)f.GetLong(arch + ".block_count"),
            Heads: heads,
            KvHeads: (int)f.GetLong(arch + ".attention.head_count_kv", heads),
            FfnDim: (int)f.GetLong(arch + ".feed_forward_length"),
            Vocab: (int)emb.Ne[1],
            RmsEps: f.GetFloat(arch + ".attention.layer_norm_rms_epsilon", 1e-5f),
            RopeBase: f.GetFloat(arch + ".rope.freq_base", 10000f),
            RopeDims: (int)f.GetLong(arch + ".rope.dimension_count", dim / heads),
            ContextLength: (int)f.GetLong(arch + ".context_length", 2048),
            Arch: arch);
        cfg.Validate();
        // Refuse what we would silently compute differently from llama.cpp.
        long keyLen = f.GetLong(arch + ".attention.key_length", cfg.HeadDim), valLen = f.GetLong(arch + ".attention.value_length", cfg.HeadDim);
        if (keyLen != cfg.HeadDim || valLen != cfg.HeadDim)
            throw new NotSupportedException($"{f.Path}: head size {keyLen}/{valLen} differs from embedding/heads = {cfg.HeadDim}");
        string scaling = f.Get(arch + ".rope.scaling.type")?.AsString() ?? "none";
        if (scaling != "none" && f.GetFloat(arch + ".rope.scaling.factor", 1f) != 1f)
            throw new NotSupportedException($"{f.Path}: RoPE scaling '{scaling}' is not supported");
        if (f.FindTensor("rope_freqs.weight") is not null)
            throw new NotSupportedException($"{f.Path}: per-dimension RoPE frequency factors (rope_freqs.weight) are not supported");
        return cfg;
    }

    public void Validate()
    {
        if (!Architectures.Contains(Arch)) throw new NotSupportedException($"architecture '{Arch}' is not supported ({string.Join(", ", Architectures)} are)");
        if (Dim % Heads != 0) throw new InvalidDataException($"embedding {Dim} is not divisible by {Heads} heads");
        if (Heads % KvHeads != 0) throw new InvalidDataException($"{Heads} heads is not a multiple of {KvHeads} kv heads");
        if (RotDims % 2 != 0 || RotDims > HeadDim) throw new InvalidDataException($"rope dimension {RotDims} is invalid for head size {HeadDim}");
    }
}
