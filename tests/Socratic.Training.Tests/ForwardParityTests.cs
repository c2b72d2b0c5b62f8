// The trainer's own forward pass against llama.cpp (via LLamaSharp) on the same tokens.
// Tolerance: max |Δlogit| ≤ 1e-3 · max(1, max |logit|). llama.cpp runs F32 maths with an F32 KV cache here;
// remaining differences are summation order and, for F16 weights, llama.cpp rounding activations to F16
// inside its F16 dot products (relative error ~1e-3 at worst).
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class ForwardParityTests
{
    static void AssertClose(float[] expected, float[] actual, double relTol)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        double maxDiff = 0;
        for (int i = 0; i < expected.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
        Assert.True(maxDiff <= relTol * scale, $"max |Δlogit| = {maxDiff:g4}, logit scale {scale:g4}, allowed {relTol * scale:g4}");
    }

    [Fact]
    public void Forward_logits_match_llama_cpp_on_stories260K()
    {
        var tokens = LlamaCpp.Tokenize(TestModels.Stories, "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.");
        Assert.True(tokens.Length > 20);
        var expected = LlamaCpp.Logits(TestModels.Stories, tokens);
        var actual = LlamaModel.Load(TestModels.Stories).Logits(tokens);
        AssertClose(expected, actual, 1e-3);
    }

    [Fact]
    public void Forward_logits_match_llama_cpp_on_llama_2_tiny_random()
    {
        var tokens = LlamaCpp.Tokenize(TestModels.TinyRandom, "The quick brown fox jumps over the lazy dog, again and again.");
        var expected = LlamaCpp.Logits(TestModels.TinyRandom, tokens);
        var actual = LlamaModel.Load(TestModels.TinyRandom).Logits(tokens);
        AssertClose(expected, actual, 2e-3);
    }
}
