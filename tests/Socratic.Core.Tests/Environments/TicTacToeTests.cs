// TicTacToe rules with scripted replies: every terminal outcome, move parsing (lenient but exact), rejected
// moves recorded with one retry then a forfeit, and replaying stored turns rebuilding the identical game.
using Socratic.Core.Environments;
using static Socratic.Core.Tests.Environments.EnvironmentKit;

namespace Socratic.Core.Tests.Environments;

public class TicTacToeTests
{
    private static TicTacToe New(int retries = 1) => (TicTacToe)new TicTacToeDefinition { Retries = retries }.Create(NoTask, 1);

    [Fact]
    public void X_wins_with_a_row_and_scores_one_against_zero()
    {
        var game = New();

        SubmitAll(game, ("x", "MOVE: a1"), ("o", "MOVE: a2"), ("x", "MOVE: b1"), ("o", "MOVE: b2"), ("x", "MOVE: c1"));

        Assert.True(game.IsOver);
        Assert.Null(game.ToMove);
        var outcome = game.Outcome();
        Assert.Equal("game_over:x_wins", outcome.EndReason);
        Assert.Equal(1.0, outcome.Scores["x"]);
        Assert.Equal(0.0, outcome.Scores["o"]);
        Assert.Equal("XXXOO....", (string?)outcome.Details["board"]);
    }

    [Fact]
    public void O_wins_with_a_diagonal()
    {
        var game = New();

        SubmitAll(game, ("x", "MOVE: a2"), ("o", "MOVE: a1"), ("x", "MOVE: b1"), ("o", "MOVE: b2"), ("x", "MOVE: c2"), ("o", "MOVE: c3"));

        Assert.Equal("game_over:o_wins", game.EndReason);
        Assert.Equal(0.0, game.Outcome().Scores["x"]);
        Assert.Equal(1.0, game.Outcome().Scores["o"]);
    }

    [Fact]
    public void A_full_board_without_a_line_is_a_draw_worth_half_each()
    {
        var game = New();

        // X O X / X O O / O X X
        SubmitAll(game,
            ("x", "MOVE: a1"), ("o", "MOVE: b1"), ("x", "MOVE: c1"), ("o", "MOVE: b2"), ("x", "MOVE: a2"),
            ("o", "MOVE: c2"), ("x", "MOVE: b3"), ("o", "MOVE: a3"), ("x", "MOVE: c3"));

        Assert.Equal("game_over:draw", game.EndReason);
        Assert.Equal(0.5, game.Outcome().Scores["x"]);
        Assert.Equal(0.5, game.Outcome().Scores["o"]);
    }

    [Theory]
    [InlineData("I will take the centre.\nMOVE: b2")]
    [InlineData("move:B2.")]
    [InlineData("**MOVE:** b2")]
    [InlineData("  - Move : b2  ")]
    [InlineData("MOVE: b2\nso once more, MOVE: b2 is it\nMOVE: B2")]
    public void A_move_is_found_anywhere_in_any_case_and_decoration(string reply)
    {
        var game = New();

        Assert.True(game.Submit(0, "x", reply));
        Assert.Contains("2 . X .", game.Observe("o"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I like b2", "no line 'MOVE: …' found")]
    [InlineData("MOVE: d4", "is not a cell")]
    [InlineData("MOVE: centre", "is not a cell")]
    [InlineData("MOVE:", "is empty")]
    [InlineData("MOVE: a1\nMOVE: c3", "ambiguous")]
    public void Unparseable_moves_are_rejected_with_a_reason(string reply, string reason)
    {
        var game = New();

        Assert.False(game.Submit(0, "x", reply));

        var invalid = Assert.Single(game.InvalidMoves);
        Assert.Contains(reason, invalid.Reason, StringComparison.Ordinal);
        Assert.Equal(("x", 0), (invalid.Role, invalid.Turn));
        Assert.Equal("x", game.ToMove); // one retry
        Assert.Contains("Your last reply was rejected", game.Observe("x"), StringComparison.Ordinal);
        Assert.DoesNotContain("rejected", game.Observe("o"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_occupied_cell_is_illegal_and_the_retry_can_recover()
    {
        var game = New();

        var legal = SubmitAll(game, ("x", "MOVE: b2"), ("o", "MOVE: b2"), ("o", "MOVE: a1"), ("x", "MOVE: c3"));

        Assert.Equal([true, false, true, true], legal);
        var invalid = Assert.Single(game.InvalidMoves);
        Assert.Equal("cell b2 is already taken by X", invalid.Reason);
        Assert.Equal(1, invalid.Turn);
        Assert.False(game.IsOver);
        Assert.DoesNotContain("rejected", game.Observe("o"), StringComparison.Ordinal); // a recovered move clears the error
    }

    [Fact]
    public void A_second_bad_move_in_a_row_forfeits_and_is_recorded_in_the_outcome()
    {
        var game = New();

        SubmitAll(game, ("x", "MOVE: a1"), ("o", "blah"), ("o", "MOVE: a1"));

        Assert.True(game.IsOver);
        Assert.Equal("o", game.ForfeitedBy);
        var outcome = game.Outcome();
        Assert.Equal("forfeit:o", outcome.EndReason);
        Assert.Equal(1.0, outcome.Scores["x"]);
        Assert.Equal(0.0, outcome.Scores["o"]);
        Assert.Equal("forfeit", (string?)outcome.Details["result"]);
        Assert.Equal(2, outcome.Details["invalidMoves"]!.AsArray().Count);
        Assert.Equal("blah", (string?)outcome.Details["invalidMoves"]![0]!["text"]);
    }

    [Fact]
    public void With_no_retries_the_first_bad_move_forfeits()
    {
        var game = New(retries: 0);

        SubmitAll(game, ("x", "pass"));

        Assert.Equal("forfeit:x", game.EndReason);
    }

    [Fact]
    public void Moving_out_of_turn_or_after_the_end_is_a_programming_error()
    {
        var game = New();

        Assert.Throws<InvalidOperationException>(() => game.Submit(0, "o", "MOVE: a1"));
        SubmitAll(game, ("x", "nope"), ("x", "nope"));
        Assert.Throws<InvalidOperationException>(() => game.Submit(2, "o", "MOVE: a1"));
    }

    [Fact]
    public void Replaying_stored_turns_rebuilds_the_identical_state_including_a_pending_retry()
    {
        var replies = new[] { ("x", "MOVE: b2"), ("o", "MOVE: b2"), ("o", "MOVE: a1"), ("x", "junk") };
        var live = New();
        SubmitAll(live, replies);

        var replayed = new TicTacToeDefinition().Replay(NoTask, 1, Turns(replies));

        Assert.Equal(Observations(live), Observations(replayed));
        Assert.Equal(live.ToMove, replayed.ToMove);
        Assert.Equal(live.InvalidMoves, replayed.InvalidMoves);
        Assert.Contains("Attempts left: 1", replayed.Observe("x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_replies_are_cut_in_the_record()
    {
        var game = New();

        game.Submit(0, "x", new string('z', 5000));

        Assert.True(game.InvalidMoves[0].Text.Length <= GameEnvironment.MaxRecordedChars + 1);
    }
}
