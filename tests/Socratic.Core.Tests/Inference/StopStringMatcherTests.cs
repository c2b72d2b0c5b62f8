// Stop strings arrive token by token; these pin down holding back partial matches and cutting before a match.
using Socratic.Inference.Generation;

namespace Socratic.Core.Tests.Inference;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void Without_stop_strings_every_piece_is_released_at_once()
    {
        var matcher = new StopStringMatcher([]);

        Assert.Equal("Hel", matcher.Append("Hel"));
        Assert.Equal("lo", matcher.Append("lo"));
        Assert.False(matcher.Stopped);
        Assert.Equal("Hello", matcher.Text);
    }

    [Fact]
    public void Stop_split_across_pieces_is_held_back_then_cut()
    {
        var matcher = new StopStringMatcher(["</end>"]);

        Assert.Equal("Yes", matcher.Append("Yes</"));
        Assert.Equal(string.Empty, matcher.Append("en"));
        Assert.Equal(string.Empty, matcher.Append("d> trailing"));
        Assert.True(matcher.Stopped);
        Assert.Equal("Yes", matcher.Text);
    }

    [Fact]
    public void Partial_match_that_diverges_is_released()
    {
        var matcher = new StopStringMatcher(["STOP"]);

        Assert.Equal("a ", matcher.Append("a ST"));
        Assert.Equal("STAR", matcher.Append("AR"));
        Assert.Equal(" ok", matcher.Flush() + matcher.Append(" ok"));
        Assert.False(matcher.Stopped);
        Assert.Equal("a STAR ok", matcher.Text);
    }

    [Fact]
    public void Earliest_of_several_stop_strings_wins()
    {
        var matcher = new StopStringMatcher(["World", "lo W"]);

        var released = matcher.Append("Hello World");

        Assert.True(matcher.Stopped);
        Assert.Equal("Hel", matcher.Text);
        Assert.Equal("Hel", released);
    }

    [Fact]
    public void Flush_releases_held_back_text_when_generation_ends_otherwise()
    {
        var matcher = new StopStringMatcher(["\n\n"]);

        Assert.Equal("line", matcher.Append("line\n"));
        Assert.Equal("\n", matcher.Flush());
        Assert.Equal("line\n", matcher.Text);
    }
}
