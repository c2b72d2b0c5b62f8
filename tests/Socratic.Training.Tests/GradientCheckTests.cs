// Finite-difference checks of every backward pass: for sampled coordinates of every trainable tensor,
// the analytic gradient must match (L(θ+ε) - L(θ-ε)) / 2ε. The model is tiny (2 blocks, dim 8, GQA 2:1,
// rope on every head dim) with large random weights so every path carries signal. Tolerance:
// |analytic - numeric| ≤ 2e-3 + 3e-2·|numeric| (F32 forward, ε = 2e-3, central differences).
using Socratic.Training.Layers;
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class GradientCheckTests
{
    static readonly int[] Tokens = [1, 5, 9, 3, 7, 2, 8, 4, 6, 10, 0];

    static LlamaModel Tiny(bool tied, int seed = 7, int ropeDims = 0, string arch = "llama")
    {
        var cfg = new LlamaConfig(Dim: 8, Layers: 2, Heads: 2, KvHeads: 1, FfnDim: 12, Vocab: 11, RmsEps: 1e-5f, RopeBase: 100f, RopeDims: ropeDims, Arch: arch);
        var m = ModelFactory.CreateRandom(cfg, seed, tied, initStd: 0.5f);
        var rng = new Random(seed + 1);
        foreach (var p in m.BaseParams().Where(p => p.Ne.Length == 1))
            for (int i = 0; i < p.Data.Length; i++) p.Data[i] = 0.5f + (float)rng.NextDouble(); // norms ≠ 1, qwen2 biases ≠ 0
        return m;
    }

    // Weighted log-likelihood with mixed-sign weights: the shape every objective reduces to.
    static readonly double[] Weights = [0.3, -0.2, 0.5, 0.1, 0.4, -0.3, 0.2, 0.6, 0.25, 0.15, 0];

    static int[] Targets() => [.. Tokens.Skip(1), -1];

    static double Loss(LlamaModel m, int dropoutSeed)
    {
        var fp = m.Forward(Tokens, dropoutSeed < 0 ? null : new Random(dropoutSeed));
        var lp = LogSoftmax.TargetLogProbs(fp.Logits, Targets(), m.Config.Vocab);
        double l = 0;
        for (int t = 0; t < lp.Length; t++) l -= Weights[t] * lp[t];
        return l;
    }

    static void Backprop(LlamaModel m, int dropoutSeed)
    {
        foreach (var p in m.TrainableParams()) p.ZeroGrad();
        var fp = m.Forward(Tokens, dropoutSeed < 0 ? null : new Random(dropoutSeed));
        m.Backward(fp, LogSoftmax.Backward(fp.Logits, Targets(), Weights, m.Config.Vocab));
    }

    static void Check(LlamaModel m, int dropoutSeed = -1, int perTensor = 8)
    {
        Backprop(m, dropoutSeed);
        var rng = new Random(3);
        int checkedCount = 0;
        foreach (var p in m.TrainableParams().ToList())
        {
            var g = p.Grad!;
            Assert.Contains(g, v => v != 0f); // every tensor receives gradient
            for (int k = 0; k < perTensor; k++)
            {
                // the largest gradient entry first, then uniform samples
                int i = k == 0 ? Array.IndexOf(g, g.MaxBy(Math.Abs)) : rng.Next(p.Data.Length);
                const float eps = 2e-3f;
                float orig = p.Data[i];
                p.Data[i] = orig + eps;
                double lp = Loss(m, dropoutSeed);
                p.Data[i] = orig - eps;
                double lm = Loss(m, dropoutSeed);
                p.Data[i] = orig;
                double num = (lp - lm) / (2 * eps);
                Assert.True(Math.Abs(g[i] - num) <= 2e-3 + 3e-2 * Math.Abs(num),
                    $"{p.Name}[{i}]: analytic {g[i]:g6}, numeric {num:g6}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 0);
    }

    [Fact]
    public void Full_parameter_gradients_match_finite_differences_with_separate_output()
    {
        var m = Tiny(tied: false);
        m.MakeAllTrainable();
        Assert.Equal(2 + 2 * 9 + 1, m.TrainableParams().Count()); // embedding, 9 per block, output norm, output
        Check(m);
    }

    [Fact]
    public void Full_parameter_gradients_match_finite_differences_with_tied_embedding()
    {
        var m = Tiny(tied: true);
        m.MakeAllTrainable();
        Assert.True(m.TiedOutput);
        Check(m);
    }

    [Fact]
    public void Gradients_match_finite_differences_when_rope_rotates_only_part_of_each_head()
    {
        var m = Tiny(tied: false, seed: 17, ropeDims: 2);
        m.MakeAllTrainable();
        Check(m, perTensor: 4);
    }

    [Fact]
    public void Lora_gradients_match_finite_differences_on_every_target_with_dropout()
    {
        var m = Tiny(tied: false, seed: 11);
        m.AttachLora(new LoraConfig(Rank: 3, Alpha: 6, Dropout: 0.2f, Targets: LoraConfig.AllTargets), seed: 5);
        var rng = new Random(9);
        foreach (var pair in m.Lora.Values) // B starts at zero; make it non-zero so dA is non-zero too
            for (int i = 0; i < pair.B.Data.Length; i++) pair.B.Data[i] = (float)(rng.NextDouble() - 0.5);
        Assert.Equal(2 * 7 * 2, m.TrainableParams().Count());
        Assert.All(m.BaseParams(), p => Assert.False(p.Trainable));
        Check(m, dropoutSeed: 42);
    }

    [Fact]
    public void Lora_and_base_gradients_together_match_finite_differences()
    {
        // Base trainable as well: checks dx flowing through the adapter into earlier layers and the embedding.
        var m = Tiny(tied: false, seed: 13);
        m.AttachLora(new LoraConfig(Rank: 2, Alpha: 4, Targets: ["attn_q", "attn_v", "ffn_down"]), seed: 6);
        foreach (var pair in m.Lora.Values)
            for (int i = 0; i < pair.B.Data.Length; i++) pair.B.Data[i] = 0.3f * MathF.Sin(i + 1);
        m.MakeAllTrainable();
        Check(m, perTensor: 4);
    }

    [Theory]
    [InlineData("qwen2", 12)] // + attn_q/k/v.bias
    [InlineData("qwen3", 11)] // + attn_q_norm, attn_k_norm
    public void Full_parameter_gradients_match_finite_differences_for_qwen(string arch, int perBlock)
    {
        var m = Tiny(tied: false, seed: 19, arch: arch);
        m.MakeAllTrainable();
        Assert.Equal(2 + 2 * perBlock + 1, m.TrainableParams().Count());
        Check(m);
    }

    [Fact]
    public void Qwen3_lora_gradients_match_finite_differences_through_the_head_norms()
    {
        var m = Tiny(tied: false, seed: 23, arch: "qwen3");
        m.AttachLora(new LoraConfig(Rank: 2, Alpha: 4, Dropout: 0.1f, Targets: LoraConfig.AllTargets), seed: 8);
        foreach (var pair in m.Lora.Values)
            for (int i = 0; i < pair.B.Data.Length; i++) pair.B.Data[i] = 0.3f * MathF.Cos(i + 1);
        Check(m, dropoutSeed: 5, perTensor: 4);
    }
}
