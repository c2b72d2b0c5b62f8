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
            new("general.architecture", GgufValue.Of(c.Arch)),
            new("general.type", GgufValue.Of("model")),
            new(c.Arch + ".context_length", GgufValue.Of((uint)c.ContextLength)),
            new(c.Arch + ".embedding_length", GgufValue.Of((uint)c.Dim)),
            new(c.Arch + ".block_count", GgufValue.Of((uint)c.Layers)),
            new(c.Arch + ".feed_forward_length", GgufValue.Of((uint)c.FfnDim)),
            new(c.Arch + ".attention.head_count", GgufValue.Of((uint)c.Heads)),
            new(c.Arch + ".attention.head_count_kv", GgufValue.Of((uint)c.KvHeads)),
            new(c.Arch + ".attention.layer_norm_rms_epsilon", GgufValue.Of(c.RmsEps)),
            new(c.Arch + ".rope.freq_base", GgufValue.Of(c.RopeBase)),
            new(c.Arch + ".rope.dimension_count", GgufValue.Of((uint)c.RotDims)),
            new(c.Arch + ".vocab_size", GgufValue.Of((uint)c.Vocab)),
        };
        if (name is not null) shapeKeys.Add(new("general.name", GgufValue.Of(name)));
        if (typeFor is null) shapeKeys.Add(new("general.file_type", GgufValue.Of(0u))); // ALL_F32
        var replaced = shapeKeys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        // Another architecture's shape keys (a donor's "llama.*" in a qwen2 model) would only mislead readers.
        var otherArchKeys = LlamaConfig.Architectures.Where(a => a != c.Arch).Select(a => a + ".").ToArray();
        // "general.alignment" is dropped too: we always write the default alignment.
        var kept = model.Metadata.Where(kv => !replaced.Contains(kv.Key) && kv.Key is not ("general.alignment" or "general.file_type")
            && !otherArchKeys.Any(prefix => kv.Key.StartsWith(prefix, StringComparison.Ordinal)));
        var tensors = model.BaseParams().Select(p =>
        {
            var type = typeFor?.Invoke(p) ?? GgmlType.F32;
            return new GgufTensorData(p.Name, p.Ne, type, Quants.Quantize(type, p.Data));
        }).ToList();
        GgufWriter.Write(path, shapeKeys.Concat(kept), tensors);
    }
}
