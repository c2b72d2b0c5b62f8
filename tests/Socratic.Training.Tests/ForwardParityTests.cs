// The trainer's own forward pass against llama.cpp (via LLamaSharp) on the same tokens.
// Tolerance: max |Δlogit| ≤ tol · max(1, max |logit|) with tol = 1e-4 for F32 weights (observed ~5e-7: only
// summation order differs) and 5e-4 for F16 weights (observed ~1e-4) (llama.cpp rounds activations to F16 inside its F16 dot
// products). llama.cpp runs here with an F32 KV cache and flash attention off: its CPU flash-attention path
// rounds to F16 and alone causes ~1e-3 relative differences.
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
        AssertClose(expected, actual, 1e-4);
    }

    [Fact]
    public void Forward_logits_match_llama_cpp_on_llama_2_tiny_random()
    {
        var tokens = LlamaCpp.Tokenize(TestModels.TinyRandom, "The quick brown fox jumps over the lazy dog, again and again.");
        var expected = LlamaCpp.Logits(TestModels.TinyRandom, tokens);
        var actual = LlamaModel.Load(TestModels.TinyRandom).Logits(tokens);
        AssertClose(expected, actual, 5e-4);
    }
}
