// Aggregate throughput of the batched runtime: K concurrent GenerateAsync calls on one policy, as K self-play
// episodes would issue them. Compare with RawDecodeBenchmark (K = 1 measures the runtime's overhead).
using System.Diagnostics;
using Socratic.Core.Policies;

namespace Socratic.Inference.Benchmarks;

public static class RuntimeThroughputBenchmark
{
    /// <summary>
    /// Runs <paramref name="concurrency"/> greedy requests of <paramref name="maxTokens"/> tokens at once through
    /// <paramref name="policy"/> (after <paramref name="warmupRuns"/> untimed rounds) and returns the aggregate
    /// completion tokens per second. Each request gets a distinct user message so sequences differ.
    /// </summary>
    public static async Task<ThroughputResult> RunAsync(
        IPolicy policy,
        string userMessage,
        int concurrency,
        int maxTokens,
        int warmupRuns = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var sampling = new SamplingSettings { Temperature = 0, MaxTokens = maxTokens };
        for (var i = 0; i < warmupRuns; i++)
        {
            _ = await RoundAsync(policy, userMessage, concurrency, sampling, cancellationToken).ConfigureAwait(false);
        }

        var cpu = ThroughputResult.ProcessCpuTime();
        var clock = Stopwatch.StartNew();
        var results = await RoundAsync(policy, userMessage, concurrency, sampling, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        return new ThroughputResult(concurrency, results.Sum(r => r.CompletionTokens), elapsed, ThroughputResult.ProcessCpuTime() - cpu);
    }

    private static Task<GenerationResult[]> RoundAsync(
        IPolicy policy, string userMessage, int concurrency, SamplingSettings sampling, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(i =>
        {
            // Sequence 0 gets the message as given, so K = 1 decodes exactly what the raw benchmark decodes.
            var text = i == 0 ? userMessage : $"{userMessage} ({i})";
            return policy.GenerateAsync([new ChatMessage(ChatRole.User, text)], sampling, null, cancellationToken);
        }));
}
