// Shared arithmetic of the benchmarks: they report medians of timed rounds, robust to one disturbed round.
namespace Socratic.Cli.Bench;

internal static class BenchStats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
