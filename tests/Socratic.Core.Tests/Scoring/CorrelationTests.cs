// Correlations for the judge length monitor, against hand-computed values.
using Socratic.Core.Scoring;

namespace Socratic.Core.Tests.Scoring;

public sealed class CorrelationTests
{
    [Fact]
    public void A_monotone_but_curved_relation_has_Spearman_1_and_Pearson_below_1()
    {
        double[] x = [1, 2, 3, 4, 5];
        double[] y = [1, 4, 9, 16, 100];

        Assert.Equal(1.0, Correlation.Spearman(x, y)!.Value, 12);
        Assert.True(Correlation.Pearson(x, y) < 0.95);
    }

    [Fact]
    public void Pearson_matches_a_hand_computed_value() =>
        Assert.Equal(0.8, Correlation.Pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])!.Value, 12);

    [Fact]
    public void Ties_share_their_average_rank() =>
        Assert.Equal([1.5, 1.5, 3, 4.5, 4.5], Correlation.Ranks([0, 0, 0.5, 1, 1]));

    [Fact]
    public void A_constant_side_or_too_few_points_has_no_correlation()
    {
        Assert.Null(Correlation.Spearman([1, 2, 3], [0.5, 0.5, 0.5]));
        Assert.Null(Correlation.Pearson([1, 2], [1, 2]));
    }
}
