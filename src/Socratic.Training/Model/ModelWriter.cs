// Writes a whole LlamaModel as a GGUF (F32 tensors) that llama.cpp loads: after full fine-tuning, after
// merging LoRA, or for models made from nothing. Metadata of the source (tokenizer included) is carried
// over; shape keys are rewritten from the config so they always agree with the tensors.
using Socratic.Training.Gguf;

namespace Socratic.Training.Model;

public static class ModelWriter
{
    /// <param name="typeFor">tensor type per weight (default F32). Quantized types need rows of whole blocks
    /// (32 values for Q8_0, 256 for Q4_K/Q6_K); norms should stay F32.</param>
    public static void Save(LlamaModel model, string path, string? name = null, Func<Param, GgmlType>? typeFor = null)
    {
        var c = model.Config;
        var shapeKeys = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of("llama")),
            new("general.type", GgufValue.Of("model")),
            new("llama.context_length", GgufValue.Of((uint)c.ContextLength)),
            new("llama.embedding_length", GgufValue.Of((uint)c.Dim)),
            new("llama.block_count", GgufValue.Of((uint)c.Layers)),
            new("llama.feed_forward_length", GgufValue.Of((uint)c.FfnDim)),
            new("llama.attention.head_count", GgufValue.Of((uint)c.Heads)),
            new("llama.attention.head_count_kv", GgufValue.Of((uint)c.KvHeads)),
            new("llama.attention.layer_norm_rms_epsilon", GgufValue.Of(c.RmsEps)),
            new("llama.rope.freq_base", GgufValue.Of(c.RopeBase)),
            new("llama.rope.dimension_count", GgufValue.Of((uint)c.RotDims)),
            new("llama.vocab_size", GgufValue.Of((uint)c.Vocab)),
        };
        if (name is not null) shapeKeys.Add(new("general.name", GgufValue.Of(name)));
        if (typeFor is null) shapeKeys.Add(new("general.file_type", GgufValue.Of(0u))); // ALL_F32
        var replaced = shapeKeys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        // "general.alignment" is dropped too: we always write the default alignment.
        var kept = model.Metadata.Where(kv => !replaced.Contains(kv.Key) && kv.Key is not ("general.alignment" or "general.file_type"));
        var tensors = model.BaseParams().Select(p =>
        {
            var type = typeFor?.Invoke(p) ?? GgmlType.F32;
            return new GgufTensorData(p.Name, p.Ne, type, Quants.Quantize(type, p.Data));
        }).ToList();
        GgufWriter.Write(path, shapeKeys.Concat(kept), tensors);
    }
}
