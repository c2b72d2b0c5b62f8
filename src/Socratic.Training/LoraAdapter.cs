// LoRA adapters as GGUF files in llama.cpp's format (llama_adapter_lora_init):
//   general.type = "adapter", general.architecture = the base's, adapter.type = "lora",
//   adapter.lora.alpha (F32); tensors "<base>.lora_a" ne [n_in, r] and "<base>.lora_b" ne [r, n_out], F32.
// llama.cpp applies y += scale · (alpha / r) · B (A x), the same maths as LoraPair.
using Socratic.Training.Gguf;
using Socratic.Training.Model;

namespace Socratic.Training;

public static class LoraAdapter
{
    public static void Save(LlamaModel model, string path, string? name = null)
    {
        if (model.Lora.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters to save");
        float alpha = model.Lora.Values.First().Alpha;
        if (model.Lora.Values.Any(p => p.Alpha != alpha)) throw new InvalidOperationException("llama.cpp adapters carry one alpha; adapters differ");
        var meta = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of(model.Config.Arch)),
            new("general.type", GgufValue.Of("adapter")),
            new("adapter.type", GgufValue.Of("lora")),
            new("adapter.lora.alpha", GgufValue.Of(alpha)),
        };
        if (name is not null) meta.Add(new("general.name", GgufValue.Of(name)));
        var tensors = new List<GgufTensorData>();
        foreach (var pair in model.Lora.Values.OrderBy(p => p.A.Name, StringComparer.Ordinal))
        {
            tensors.Add(GgufTensorData.F32(pair.A.Name, pair.A.Ne, pair.A.Data));
            tensors.Add(GgufTensorData.F32(pair.B.Name, pair.B.Ne, pair.B.Data));
        }
        GgufWriter.Write(path, meta, tensors);
    }

    /// <summary>Attaches the adapters of a llama.cpp LoRA GGUF to <paramref name="model"/> (frozen, no dropout).</summary>
    public static void Load(LlamaModel model, string path)
    {
        var f = GgufFile.Read(path);
        if (f.Get("general.type")?.AsString() != "adapter" || f.Get("adapter.type")?.AsString() != "lora")
            throw new InvalidDataException($"{path}: not a LoRA adapter (general.type/adapter.type)");
        float alpha = f.GetFloat("adapter.lora.alpha", 0f);
        var weights = model.BaseParams().ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var a in f.Tensors.Where(t => t.Name.EndsWith(".lora_a", StringComparison.Ordinal)))
        {
            string baseName = a.Name[..^".lora_a".Length];
            var b = f.Tensor(baseName + ".lora_b");
            if (!weights.TryGetValue(baseName, out var w)) throw new InvalidDataException($"{path}: adapter for unknown tensor '{baseName}'");
            if (a.Ne[0] != w.Ne[0] || b.Ne[1] != w.Ne[1] || a.Ne[1] != b.Ne[0])
                throw new InvalidDataException($"{path}: adapter shapes for '{baseName}' do not fit the model");
            int rank = (int)a.Ne[1];
            model.Lora[baseName] = new LoraPair(new Param(a.Name, a.Ne, f.ReadF32(a.Name)), new Param(b.Name, b.Ne, f.ReadF32(b.Name)),
                alpha == 0 ? rank : alpha, 0f); // llama.cpp: alpha 0 means scale 1
        }
    }
}
