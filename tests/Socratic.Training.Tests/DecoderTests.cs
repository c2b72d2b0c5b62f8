// The KV-cached decoder computes, position by position, the same logits as the full forward pass
// (with LoRA adapters active), so rollouts sample from exactly the policy being trained.
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class DecoderTests
{
    [Fact]
    public void Cached_decoding_gives_the_full_forward_logits_at_every_position_with_lora()
    {
        var m = LlamaModel.Load(TestModels.Stories);
        m.AttachLora(new LoraConfig(Rank: 2, Alpha: 4, Targets: LoraConfig.AllTargets), seed: 1);
        var rng = new Random(2);
        foreach (var p in m.Lora.Values)
            for (int i = 0; i < p.B.Data.Length; i++) p.B.Data[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        var tokens = LlamaCpp.Tokenize(TestModels.Stories, "Once upon a time, there was a big red ball.");
        var full = m.Logits(tokens);
        var dec = m.StartDecoding(tokens.Length);
        int v = m.Config.Vocab;
        double scale = Math.Max(1, full.Max(Math.Abs)), maxDiff = 0;
        for (int t = 0; t < tokens.Length; t++)
        {
            var step = dec.Next(tokens[t]);
            for (int i = 0; i < v; i++) maxDiff = Math.Max(maxDiff, Math.Abs(step[i] - full[t * v + i]));
        }
        Assert.True(maxDiff <= 1e-5 * scale, $"max |Δlogit| {maxDiff:g4}");
        Assert.Throws<InvalidOperationException>(() => dec.Next(1)); // capacity reached
    }

    [Fact]
    public void Greedy_sampling_follows_the_argmax_of_the_full_forward_pass()
    {
        var m = LlamaModel.Load(TestModels.Stories);
        var prompt = LlamaCpp.Tokenize(TestModels.Stories, "Once upon a time");
        var completion = Generation.Sample(m, prompt, 12, temperature: 0, new Random(1));
        Assert.Equal(12, completion.Length);
        var seq = prompt.Concat(completion).ToArray();
        var logits = m.Logits(seq);
        int v = m.Config.Vocab;
        for (int t = prompt.Length - 1; t < seq.Length - 1; t++)
        {
            var row = logits.AsSpan(t * v, v);
            Assert.Equal(row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)), seq[t + 1]);
        }
    }
}
