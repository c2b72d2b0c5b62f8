// The normalised mix the Games page shows is what a run samples: weight over the enabled total, paused = 0.
using Socratic.Web.Games;

namespace Socratic.Web.Tests.Ui;

public sealed class GameMixTests
{
    [Fact]
    public void Shares_are_weights_over_the_enabled_total_and_paused_games_get_none()
    {
        var mix = GameMix.Normalise([new(1, 1, true), new(2, 3, true), new(3, 100, false)]);

        Assert.Equal(0.25, mix[1], 9);
        Assert.Equal(0.75, mix[2], 9);
        Assert.Equal(0, mix[3]);
    }

    [Fact]
    public void When_nothing_would_be_played_every_share_is_zero_not_a_division_by_zero()
    {
        var mix = GameMix.Normalise([new(1, 0, true), new(2, 5, false)]);

        Assert.All(mix.Values, share => Assert.Equal(0, share));
    }

    [Fact]
    public void Version_diff_marks_only_the_changed_lines()
    {
        var diff = LineDiff.Compute("{\n  \"a\": 1,\n  \"maxTurns\": 2,\n  \"z\": 3\n}", "{\n  \"a\": 1,\n  \"maxTurns\": 3,\n  \"z\": 3\n}");

        Assert.Equal([new DiffLine(DiffKind.Removed, "  \"maxTurns\": 2,"), new DiffLine(DiffKind.Added, "  \"maxTurns\": 3,")], diff.Where(d => d.Kind != DiffKind.Same));
        Assert.Equal(4, diff.Count(d => d.Kind == DiffKind.Same));
    }
}
