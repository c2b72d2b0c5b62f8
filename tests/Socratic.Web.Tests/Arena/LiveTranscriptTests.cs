// The arena's episode view applies live events in Seq order: deltas append to the open turn, anything at or
// below the last Seq is dropped (duplicates, events older than a snapshot), and a completed turn's stored text wins.
using Socratic.Web.Arena;
using Socratic.Web.Live;

namespace Socratic.Web.Tests.Arena;

public sealed class LiveTranscriptTests
{
    [Fact]
    public void Deltas_append_to_the_open_turn_in_order()
    {
        var view = new LiveTranscript(1, 0);

        view.Apply(new TurnStarted(9, 1, 1, 0, "teller"));
        view.Apply(new TokenDelta(9, 1, 2, 0, "Once"));
        view.Apply(new TokenDelta(9, 1, 3, 0, " upon"));

        var turn = Assert.Single(view.Turns);
        Assert.Equal(("teller", "Once upon", false), (turn.Role, turn.Text, turn.Done));
    }

    [Fact]
    public void Duplicate_and_older_events_are_ignored()
    {
        var view = new LiveTranscript(1, 0);
        view.Apply(new TurnStarted(9, 1, 1, 0, "teller"));
        view.Apply(new TokenDelta(9, 1, 2, 0, "A"));

        Assert.False(view.Apply(new TokenDelta(9, 1, 2, 0, "A")));
        Assert.False(view.Apply(new TokenDelta(9, 1, 1, 0, "stale")));
        Assert.Equal("A", view.Turns[0].Text);
    }

    [Fact]
    public void A_late_joiner_continues_from_the_snapshot_and_completion_text_wins()
    {
        var view = new LiveTranscript(1, 0);
        view.AddStoredTurn(0, "teller", "Stored.");
        view.Apply(new TurnStarted(9, 1, 10, 1, "listener"));
        view.Apply(new TokenDelta(9, 1, 11, 1, "What"));
        view.Apply(new TurnCompleted(9, 1, 12, 1, "listener", "What next?", 3, 40));
        view.Apply(new EpisodeScored(9, 1, 13, [new ScoreView("teller", "contains", "contains", 1, true)]));
        view.Apply(new EpisodeStatusChanged(9, 1, 14, 0, "Completed", null));

        Assert.Equal(["Stored.", "What next?"], view.Turns.Select(t => t.Text));
        Assert.All(view.Turns, t => Assert.True(t.Done));
        Assert.Equal(1, Assert.Single(view.Scores).Value);
        Assert.Equal("Completed", view.Status);
    }

    [Fact]
    public void Deltas_for_a_finished_turn_do_not_change_it()
    {
        var view = new LiveTranscript(1, 0);
        view.Apply(new TurnCompleted(9, 1, 5, 0, "teller", "Done.", 2, 10));

        view.Apply(new TokenDelta(9, 1, 6, 0, " extra"));

        Assert.Equal("Done.", view.Turns[0].Text);
    }
}
