// qwen2 (q/k/v biases) and qwen3 (per-head q/k RMSNorm), both with NEOX RoPE: the trainer's forward pass against
// llama.cpp on random GGUFs of each architecture (same tolerance as the llama parity tests, 1e-4 relative for
// F32 weights), and a LoRA adapter written for a qwen2 base applied by llama.cpp. The random weights are large
// (std 0.2) and every bias and norm gain is randomised, so each new term moves the logits well past the tolerance.
using Socratic.Training.Gguf;
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class QwenTests
{
    const string Text = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.";

    /// <summary>A random qwen model with stories260K's tokenizer, written as F32 GGUF.</summary>
    internal static (string Path, LlamaModel Model) RandomModel(string arch, int seed)
    {
        var meta = GgufFile.Read(TestModels.Stories).Metadata.Where(kv => kv.Key.StartsWith("tokenizer.", StringComparison.Ordinal)).ToList();
        var cfg = new LlamaConfig(Dim: 64, Layers: 2, Heads: 4, KvHeads: 2, FfnDim: 96, Vocab: 512, RopeBase: 10000f, ContextLength: 256, Arch: arch);
        var model = ModelFactory.CreateRandom(cfg, seed, tiedOutput: false, meta, initStd: 0.2f);
        var rng = new Random(seed);
        foreach (var p in model.BaseParams().Where(p => p.Ne.Length == 1))
        {
            bool bias = p.Name.EndsWith(".bias", StringComparison.Ordinal);
            for (int i = 0; i < p.Data.Length; i++) p.Data[i] = bias ? (float)(rng.NextDouble() - 0.5) : 0.5f + (float)rng.NextDouble();
        }
        string path = TestModels.TempPath(arch + ".gguf");
        ModelWriter.Save(model, path, "random-" + arch);
        return (path, model);
    }

    static void AssertClose(float[] expected, float[] actual, double relTol)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        double maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= relTol * scale, $"max |Δlogit| = {maxDiff:g4}, logit scale {scale:g4}, allowed {relTol * scale:g4}");
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void Forward_logits_match_llama_cpp_on_a_random_model(string arch)
    {
        var (path, _) = RandomModel(arch, seed: 21);
        var loaded = LlamaModel.Load(path);
        Assert.Equal(arch, loaded.Config.Arch);
        Assert.Equal(arch == "qwen2", loaded.Blocks[0].Bq is not null);
        Assert.Equal(arch == "qwen3", loaded.Blocks[0].QNorm is not null);
        var tokens = LlamaCpp.Tokenize(path, Text);
        var expected = LlamaCpp.Logits(path, tokens);
        AssertClose(expected, loaded.Logits(tokens), 1e-4);
        // The KV-cached decoder (GRPO rollouts) computes the same thing position by position.
        var decoder = loaded.StartDecoding(tokens.Length);
        float[] last = [];
        foreach (var t in tokens) last = decoder.Next(t);
        AssertClose(expected[^512..], last, 1e-4);
    }

    [Fact]
    public void Rope_mode_matters_reading_qwen2_weights_as_llama_changes_the_logits()
    {
        // Guards the parity test above: the same tensors under llama's adjacent-pair RoPE (and no biases) are far off.
        var (path, model) = RandomModel("qwen2", seed: 22);
        var tokens = LlamaCpp.Tokenize(path, Text);
        var expected = LlamaCpp.Logits(path, tokens);
        var asLlama = new LlamaModel(model.Config with { Arch = "llama" }, model.TokenEmbedding,
            [.. model.Blocks.Select(b => new LlamaBlock
            {
                AttnNorm = b.AttnNorm, Wq = b.Wq, Wk = b.Wk, Wv = b.Wv, Wo = b.Wo, FfnNorm = b.FfnNorm, Gate = b.Gate, Up = b.Up, Down = b.Down,
            })], model.OutputNorm, model.Output, model.Metadata);
        var ours = asLlama.Logits(tokens);
        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        Assert.True(expected.Zip(ours, (a, b) => Math.Abs(a - b)).Max() > 1e-2 * scale);
    }

    [Fact]
    public void Qwen2_lora_adapter_gives_the_same_logits_in_llama_cpp_as_in_the_trainer()
    {
        var (path, _) = RandomModel("qwen2", seed: 23);
        var model = LlamaModel.Load(path);
        model.AttachLora(new LoraConfig(Rank: 4, Alpha: 8, Targets: LoraConfig.AllTargets), seed: 3);
        var rng = new Random(4);
        foreach (var pair in model.Lora.Values)
            for (int i = 0; i < pair.B.Data.Length; i++) pair.B.Data[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        string adapter = TestModels.TempPath("qwen2.lora.gguf");
        LoraAdapter.Save(model, adapter);
        Assert.Equal("qwen2", GgufFile.Read(adapter).GetString("general.architecture"));

        var tokens = LlamaCpp.Tokenize(path, Text);
        var withAdapter = LlamaCpp.Logits(path, tokens, adapter);
        AssertClose(withAdapter, model.Logits(tokens), 1e-4);
        // and the adapter really changes the model
        var baseOnly = LlamaCpp.Logits(path, tokens);
        Assert.True(baseOnly.Zip(withAdapter, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }
}
