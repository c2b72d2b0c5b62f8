// Smoke tests of the benchmark helpers the CLI uses (tiny sizes: correctness of the counts, not speed).
using Socratic.Inference.Benchmarks;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class BenchmarkTests(InferenceFixture fixture)
{
    [Fact]
    public void Raw_decode_benchmark_decodes_exactly_the_requested_tokens()
    {
        var result = RawDecodeBenchmark.Run(TestModels.Stories260K, "Once upon a time", tokens: 16, threads: 1, warmupRuns: 0);

        Assert.Equal(1, result.Sequences);
        Assert.Equal(16, result.Tokens);
        Assert.True(result.TokensPerSecond > 0);
    }

    [Fact]
    public void Raw_batched_reference_decodes_every_sequence_and_refuses_more_than_it_was_loaded_for()
    {
        using var raw = RawDecodeBenchmark.Load(TestModels.Stories260K, threads: 1, maxSequences: 3);

        var result = raw.Decode(["Once upon a time", "The dog ran", "Sue had a red ball and a very long name to prefill"], tokens: 12);

        Assert.Equal((3, 36), (result.Sequences, result.Tokens));
        Assert.Equal(12, raw.Decode(["Once upon a time"], tokens: 12).Tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.Decode(["a", "b", "c", "d"], tokens: 4));
    }

    [Fact]
    public async Task Runtime_benchmark_counts_the_tokens_of_all_concurrent_requests()
    {
        var policy = await fixture.StoriesPolicyAsync();

        var result = await RuntimeThroughputBenchmark.RunAsync(policy, "Once upon a time", concurrency: 3, maxTokens: 10, warmupRuns: 0);

        Assert.Equal(3, result.Sequences);
        Assert.Equal(30, result.Tokens); // greedy stories run well past 10 tokens, so each stops at MaxTokens
        Assert.True(result.TokensPerSecond > 0);
    }
}
