// One throughput measurement: how many completion tokens were produced in how much wall time.
namespace Socratic.Inference.Benchmarks;

/// <param name="Sequences">Sequences decoded at once (1 for the raw reference).</param>
/// <param name="Tokens">Completion tokens produced across all sequences (prompt tokens excluded).</param>
/// <param name="Elapsed">Wall time from the first prefill to the last token, prefill included.</param>
public sealed record ThroughputResult(int Sequences, int Tokens, TimeSpan Elapsed)
{
    /// <summary>Aggregate completion tokens per second of wall time.</summary>
    public double TokensPerSecond => Elapsed > TimeSpan.Zero ? Tokens / Elapsed.TotalSeconds : 0;
}
