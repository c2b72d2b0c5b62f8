// Confidence intervals for accuracies (k correct of n): Wilson's score interval for one proportion, and
// Newcombe's hybrid score interval for the difference of two independent ones — what "beats its parent beyond
// the confidence interval" means for promotion and rollback. Both behave at 0 and 1, unlike the Wald interval.
namespace Socratic.Core.MetaCritic;

public static class Proportions
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static (double Low, double High) Wilson(int correct, int count, double z = Z95)
    {
        if (count <= 0)
        {
            return (0, 1);
        }

        var p = (double)correct / count;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * count))) / (1 + (z2 / count));
        var half = z * Math.Sqrt((p * (1 - p) / count) + (z2 / (4.0 * count * count))) / (1 + (z2 / count));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Interval for p1 − p2 (Newcombe 1998, method 10).</summary>
    public static (double Low, double High) Difference(int correct1, int count1, int correct2, int count2, double z = Z95)
    {
        var p1 = count1 == 0 ? 0 : (double)correct1 / count1;
        var p2 = count2 == 0 ? 0 : (double)correct2 / count2;
        var (l1, u1) = Wilson(correct1, count1, z);
        var (l2, u2) = Wilson(correct2, count2, z);
        var d = p1 - p2;
        return (d - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2))), d + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2))));
    }
}
