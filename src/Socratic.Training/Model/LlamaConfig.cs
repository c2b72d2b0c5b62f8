// Shape and numerical conventions of a llama-family model, read from GGUF metadata with llama.cpp's defaults.
using Socratic.Training.Gguf;

namespace Socratic.Training.Model;

/// <param name="Dim">llama.embedding_length</param>
/// <param name="Layers">llama.block_count</param>
/// <param name="Heads">llama.attention.head_count</param>
/// <param name="KvHeads">llama.attention.head_count_kv (GQA when smaller than Heads)</param>
/// <param name="FfnDim">llama.feed_forward_length</param>
/// <param name="Vocab">rows of token_embd.weight</param>
/// <param name="RmsEps">llama.attention.layer_norm_rms_epsilon (llama.cpp default 1e-5)</param>
/// <param name="RopeBase">llama.rope.freq_base (default 10000)</param>
/// <param name="RopeDims">llama.rope.dimension_count (default head size): the leading dims of each head that rotate</param>
/// <param name="ContextLength">llama.context_length</param>
public sealed record LlamaConfig(
    int Dim, int Layers, int Heads, int KvHeads, int FfnDim, int Vocab,
    float RmsEps = 1e-5f, float RopeBase = 10000f, int RopeDims = 0, int ContextLength = 2048)
{
    public int HeadDim => Dim / Heads;
    public int KvDim => KvHeads * HeadDim;
    public int RotDims => RopeDims > 0 ? RopeDims : HeadDim;

    public static LlamaConfig FromGguf(GgufFile f)
    {
        string arch = f.GetString("general.architecture");
        if (arch != "llama") throw new NotSupportedException($"{f.Path}: architecture '{arch}' is not supported (llama is)");
        int dim = (int)f.GetLong("llama.embedding_length");
        int heads = (int)f.GetLong("llama.attention.head_count");
        var emb = f.Tensor("token_embd.weight");
        var cfg = new LlamaConfig(
            Dim: dim,
            Layers: (int)f.GetLong("llama.block_count"),
            Heads: heads,
            KvHeads: (int)f.GetLong("llama.attention.head_count_kv", heads),
            FfnDim: (int)f.GetLong("llama.feed_forward_length"),
            Vocab: (int)emb.Ne[1],
            RmsEps: f.GetFloat("llama.attention.layer_norm_rms_epsilon", 1e-5f),
            RopeBase: f.GetFloat("llama.rope.freq_base", 10000f),
            RopeDims: (int)f.GetLong("llama.rope.dimension_count", dim / heads),
            ContextLength: (int)f.GetLong("llama.context_length", 2048));
        cfg.Validate();
        // Refuse what we would silently compute differently from llama.cpp.
        long keyLen = f.GetLong("llama.attention.key_length", cfg.HeadDim), valLen = f.GetLong("llama.attention.value_length", cfg.HeadDim);
        if (keyLen != cfg.HeadDim || valLen != cfg.HeadDim)
            throw new NotSupportedException($"{f.Path}: head size {keyLen}/{valLen} differs from embedding/heads = {cfg.HeadDim}");
        string scaling = f.Get("llama.rope.scaling.type")?.AsString() ?? "none";
        if (scaling != "none" && f.GetFloat("llama.rope.scaling.factor", 1f) != 1f)
            throw new NotSupportedException($"{f.Path}: RoPE scaling '{scaling}' is not supported");
        if (f.FindTensor("rope_freqs.weight") is not null)
            throw new NotSupportedException($"{f.Path}: per-dimension RoPE frequency factors (rope_freqs.weight) are not supported");
        return cfg;
    }

    public void Validate()
    {
        if (Dim % Heads != 0) throw new InvalidDataException($"embedding {Dim} is not divisible by {Heads} heads");
        if (Heads % KvHeads != 0) throw new InvalidDataException($"{Heads} heads is not a multiple of {KvHeads} kv heads");
        if (RotDims % 2 != 0 || RotDims > HeadDim) throw new InvalidDataException($"rope dimension {RotDims} is invalid for head size {HeadDim}");
    }
}
