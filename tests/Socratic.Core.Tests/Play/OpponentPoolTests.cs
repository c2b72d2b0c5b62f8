// Which policy plays an episode's "opponent" roles: with a campaign's opponent pool, about OpponentShare of the
// episodes draw a pool policy (each about equally often) and the rest play the run's own policy, the same way
// every time the run is played; without a pool, OpponentPolicyId or the run's policy plays them throughout.
using Socratic.Core.Play;

namespace Socratic.Core.Tests.Play;

public sealed class OpponentPoolTests
{
    private static Run Run(double share, params long[] pool) => new() { PolicyId = 9, OpponentPool = [.. pool], OpponentShare = share };

    [Fact]
    public void About_the_share_of_episodes_draw_from_the_pool_spread_over_its_policies()
    {
        var run = Run(0.5, 3, 1, 2);
        var picks = Enumerable.Range(0, 3000).Select(i => RunPlayer.PickOpponent(run, 77, i)).ToList();

        Assert.InRange(picks.Count(p => p == 9) / 3000.0, 0.45, 0.55);
        foreach (var policy in new long[] { 1, 2, 3 })
        {
            Assert.InRange(picks.Count(p => p == policy) / 3000.0, 0.13, 0.20);
        }

        Assert.Equal(picks, Enumerable.Range(0, 3000).Select(i => RunPlayer.PickOpponent(Run(0.5, 1, 2, 3), 77, i)));
    }

    [Fact]
    public void Share_zero_and_one_and_no_pool_are_exact()
    {
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(9, RunPlayer.PickOpponent(Run(0.0, 1), 5, i)));
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(1, RunPlayer.PickOpponent(Run(1.0, 1), 5, i)));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(4, RunPlayer.PickOpponent(new Run { PolicyId = 9, OpponentPolicyId = 4 }, 5, i)));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(9, RunPlayer.PickOpponent(new Run { PolicyId = 9 }, 5, i)));
    }
}
