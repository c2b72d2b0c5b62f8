// One throughput measurement: how many completion tokens were produced in how much wall time, and how much
// CPU time the process used meanwhile (on a shared or loaded machine, tokens per CPU-second with Threads = 1
// is steadier than wall-clock throughput).
namespace Socratic.Inference.Benchmarks;

/// <param name="Sequences">Sequences decoded at once (1 for the raw reference).</param>
/// <param name="Tokens">Completion tokens produced across all sequences (prompt tokens excluded).</param>
/// <param name="Elapsed">Wall time from the first prefill to the last token, prefill included.</param>
/// <param name="CpuTime">CPU time of the whole process over the same interval (all threads).</param>
public sealed record ThroughputResult(int Sequences, int Tokens, TimeSpan Elapsed, TimeSpan CpuTime)
{
    /// <summary>Aggregate completion tokens per second of wall time.</summary>
    public double TokensPerSecond => Elapsed > TimeSpan.Zero ? Tokens / Elapsed.TotalSeconds : 0;

    /// <summary>Completion tokens per second of process CPU time.</summary>
    public double TokensPerCpuSecond => CpuTime > TimeSpan.Zero ? Tokens / CpuTime.TotalSeconds : 0;

    internal static TimeSpan ProcessCpuTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
