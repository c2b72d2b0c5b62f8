// The 95% Wilson interval evaluations are reported with (Proportions.Wilson, shared with the meta-critic),
// against published and hand-computed values, and its edge cases.
using Socratic.Core.MetaCritic;

namespace Socratic.Core.Tests.Evaluation;

public sealed class WilsonIntervalTests
{
    [Theory]
    [InlineData(81, 263, 0.25529, 0.36621)] // the textbook example (Newcombe 1998)
    [InlineData(5, 10, 0.23659, 0.76341)]
    [InlineData(0, 10, 0.0, 0.27753)]
    [InlineData(10, 10, 0.72247, 1.0)]
    [InlineData(1, 1, 0.20655, 1.0)]
    public void Matches_known_values(int successes, int trials, double low, double high)
    {
        var (l, h) = Proportions.Wilson(successes, trials);

        Assert.Equal(low, l, 5);
        Assert.Equal(high, h, 5);
    }

    [Fact]
    public void No_trials_means_no_information() =>
        Assert.Equal((0.0, 1.0), Proportions.Wilson(0, 0));

    [Fact]
    public void The_interval_contains_the_accuracy_and_narrows_with_more_trials()
    {
        var (l1, h1) = Proportions.Wilson(30, 100);
        var (l2, h2) = Proportions.Wilson(300, 1000);

        Assert.InRange(0.3, l1, h1);
        Assert.True(h2 - l2 < h1 - l1);
    }
}
