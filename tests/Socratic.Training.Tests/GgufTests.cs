using Socratic.Training.Gguf;

namespace Socratic.Training.Tests;

public class GgufTests
{
    [Fact]
    public void Reads_stories260K_metadata_and_tensors()
    {
        var f = GgufFile.Read(TestModels.Stories);
        Assert.Equal(3u, f.Version);
        Assert.Equal("llama", f.GetString("general.architecture"));
        Assert.Equal(64, f.GetLong("llama.embedding_length"));
        Assert.Equal(5, f.GetLong("llama.block_count"));
        Assert.Equal(512, ((Array)f.Get("tokenizer.ggml.tokens")!.Value).Length);
        var emb = f.Tensor("token_embd.weight");
        Assert.Equal([64L, 512L], emb.Ne);
        Assert.Equal(GgmlType.F32, emb.Type);
        Assert.All(f.ReadF32("token_embd.weight"), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Writing_then_reading_gives_identical_metadata_and_tensors()
    {
        var src = GgufFile.Read(TestModels.TinyRandom); // F16 tensors, 32000-string arrays, mixed scalar types
        var tensors = src.Tensors.Select(t => new GgufTensorData(t.Name, t.Ne, t.Type, src.ReadRaw(t))).ToList();
        var extra = new KeyValuePair<string, GgufValue>("test.q8", new GgufValue(GgufValueType.Float64, 0.25));
        string path = TestModels.TempPath("roundtrip.gguf");
        GgufWriter.Write(path, src.Metadata.Append(extra), tensors);

        var back = GgufFile.Read(path);
        Assert.Equal(src.Metadata.Count + 1, back.Metadata.Count);
        for (int i = 0; i < src.Metadata.Count; i++)
        {
            var (a, b) = (src.Metadata[i], back.Metadata[i]);
            Assert.Equal(a.Key, b.Key);
            Assert.Equal(a.Value.Type, b.Value.Type);
            Assert.Equal(a.Value.ElementType, b.Value.ElementType);
            if (a.Value.Value is Array arr) Assert.Equal(arr.Cast<object>(), ((Array)b.Value.Value).Cast<object>());
            else Assert.Equal(a.Value.Value, b.Value.Value);
        }
        Assert.Equal(0.25, back.Get("test.q8")!.Value);
        Assert.Equal(src.Tensors.Count, back.Tensors.Count);
        foreach (var t in src.Tensors)
        {
            var u = back.Tensor(t.Name);
            Assert.Equal(t.Ne, u.Ne);
            Assert.Equal(t.Type, u.Type);
            Assert.Equal(src.ReadRaw(t), back.ReadRaw(u));
        }
    }

    [Fact]
    public void Written_F32_tensor_reads_back_as_the_same_floats()
    {
        var values = Enumerable.Range(0, 96).Select(i => MathF.Sin(i) * 3).ToArray();
        string path = TestModels.TempPath("f32.gguf");
        GgufWriter.Write(path, [new("general.architecture", GgufValue.Of("llama"))],
            [GgufTensorData.F32("a", [32, 3], values), GgufTensorData.F16("b", [32], values.AsSpan(0, 32))]);
        var f = GgufFile.Read(path);
        Assert.Equal(values, f.ReadF32("a"));
        var b = f.ReadF32("b");
        for (int i = 0; i < 32; i++) Assert.Equal(values[i], b[i], 2);
    }

    [Fact]
    public void Truncated_file_fails_with_InvalidDataException()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories);
        string path = TestModels.TempPath("truncated.gguf");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => GgufFile.Read(path));
    }
}

public class ModelLoadErrorTests
{
    /// <summary>stories260K with some metadata keys set (replaced or added).</summary>
    static string Rewrite(params (string Key, Gguf.GgufValue Value)[] set)
    {
        var src = Gguf.GgufFile.Read(TestModels.Stories);
        var tensors = src.Tensors.Select(t => new Gguf.GgufTensorData(t.Name, t.Ne, t.Type, src.ReadRaw(t))).ToList();
        string path = TestModels.TempPath("changed.gguf");
        var keys = set.Select(s => s.Key).ToHashSet();
        Gguf.GgufWriter.Write(path, src.Metadata.Where(kv => !keys.Contains(kv.Key))
            .Concat(set.Select(s => new KeyValuePair<string, Gguf.GgufValue>(s.Key, s.Value))), tensors);
        return path;
    }

    [Fact]
    public void Loading_a_non_llama_architecture_is_refused_by_name()
    {
        var path = Rewrite(("general.architecture", Gguf.GgufValue.Of("gpt2")));
        var e = Assert.Throws<NotSupportedException>(() => Model.LlamaModel.Load(path));
        Assert.Contains("gpt2", e.Message);
    }

    [Fact]
    public void Rope_epsilon_and_base_come_from_metadata()
    {
        var path = Rewrite(("llama.rope.freq_base", Gguf.GgufValue.Of(500f)), ("llama.attention.layer_norm_rms_epsilon", Gguf.GgufValue.Of(1e-3f)));
        var cfg = Model.LlamaModel.Load(path).Config;
        Assert.Equal(500f, cfg.RopeBase);
        Assert.Equal(1e-3f, cfg.RmsEps);
        // and llama.cpp agrees on what they mean
        var tokens = LlamaCpp.Tokenize(path, "Once upon a time, a cat sat.");
        var expected = LlamaCpp.Logits(path, tokens);
        var actual = Model.LlamaModel.Load(path).Logits(tokens);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-4 * scale);
        // and they matter: the logits differ from the unmodified model's
        var original = Model.LlamaModel.Load(TestModels.Stories).Logits(tokens);
        Assert.True(original.Zip(actual, (a, b) => Math.Abs(a - b)).Max() > 1e-2 * scale);
    }

    [Fact]
    public void Rope_scaling_is_refused_rather_than_silently_ignored()
    {
        var path = Rewrite(("llama.rope.scaling.type", Gguf.GgufValue.Of("linear")), ("llama.rope.scaling.factor", Gguf.GgufValue.Of(2f)));
        Assert.Throws<NotSupportedException>(() => Model.LlamaModel.Load(path));
    }
}
