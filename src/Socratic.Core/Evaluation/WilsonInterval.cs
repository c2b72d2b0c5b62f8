// The 95% Wilson score interval for a proportion. Chosen over the normal approximation because evaluation
// suites are small and accuracies sit near 0 or 1, where p ± z·√(p(1−p)/n) leaves [0, 1] or collapses to a point.
namespace Socratic.Core.Evaluation;

public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Bounds for <paramref name="successes"/> out of <paramref name="trials"/>; [0, 1] when there are no trials.</summary>
    public static (double Low, double High) Compute(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return (0.0, 1.0);
        }

        double n = trials, p = successes / n, z2 = z * z;
        var centre = p + z2 / (2 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        var denominator = 1 + z2 / n;
        return (Math.Max(0.0, (centre - spread) / denominator), Math.Min(1.0, (centre + spread) / denominator));
    }
}
