// Kuhn Poker rules with scripted replies: every betting line to its end with its chip result, illegal actions
// for the situation, the deal coming from the seed only, and each player seeing its own card and never the other's.
using Socratic.Core.Environments;
using static Socratic.Core.Tests.Environments.EnvironmentKit;

namespace Socratic.Core.Tests.Environments;

public class KuhnPokerTests
{
    private static readonly KuhnPokerDefinition Definition = new() { First = "alice", Second = "bob" };

    private static KuhnPoker Deal(ulong seed) => (KuhnPoker)Definition.Create(NoTask, seed);

    /// <summary>A seed whose deal gives the first player the higher card, or the lower one.</summary>
    private static KuhnPoker DealWhereFirst(bool higher) =>
        Enumerable.Range(0, 100).Select(s => Deal((ulong)s)).First(g => "JQK".IndexOf(g.Cards[0]) > "JQK".IndexOf(g.Cards[1]) == higher);

    [Theory]
    [InlineData(true, new[] { "check", "check" }, 1, "first_wins_showdown")]
    [InlineData(false, new[] { "check", "check" }, -1, "second_wins_showdown")]
    [InlineData(true, new[] { "bet", "call" }, 2, "first_wins_showdown")]
    [InlineData(false, new[] { "bet", "call" }, -2, "second_wins_showdown")]
    [InlineData(false, new[] { "bet", "fold" }, 1, "first_wins_by_fold")]
    [InlineData(true, new[] { "check", "bet", "fold" }, -1, "second_wins_by_fold")]
    [InlineData(true, new[] { "check", "bet", "call" }, 2, "first_wins_showdown")]
    [InlineData(false, new[] { "check", "bet", "call" }, -2, "second_wins_showdown")]
    public void Every_betting_line_ends_with_its_chip_result(bool firstHigher, string[] actions, int firstNet, string result)
    {
        var game = DealWhereFirst(firstHigher);

        SubmitAll(game, [.. actions.Select((a, i) => (i % 2 == 0 ? "alice" : "bob", $"MOVE: {a}"))]);

        Assert.True(game.IsOver);
        Assert.Equal(firstNet, game.FirstPlayerNet());
        var outcome = game.Outcome();
        Assert.Equal($"game_over:{result}", outcome.EndReason);
        Assert.Equal((firstNet + 2) / 4.0, outcome.Scores["alice"]);
        Assert.Equal(1.0, outcome.Scores["alice"] + outcome.Scores["bob"]);
        Assert.Equal(firstNet, (int)outcome.Details["chips"]!["alice"]!);
    }

    [Theory]
    [InlineData(new string[0], "MOVE: call", "'call' is not legal now; legal: check, bet")]
    [InlineData(new string[0], "MOVE: fold", "'fold' is not legal now; legal: check, bet")]
    [InlineData(new[] { "bet" }, "MOVE: check", "'check' is not legal now; legal: call, fold")]
    [InlineData(new[] { "bet" }, "MOVE: raise", "'raise' is not an action; actions are check, bet, call, fold")]
    [InlineData(new[] { "check" }, "I call.", "no line 'MOVE: …' found")]
    public void Actions_not_legal_at_that_point_are_rejected_and_recorded(string[] before, string reply, string reason)
    {
        var game = Deal(3);
        SubmitAll(game, [.. before.Select((a, i) => (i % 2 == 0 ? "alice" : "bob", $"MOVE: {a}"))]);
        var mover = game.ToMove!;

        Assert.False(game.Submit(before.Length, mover, reply));

        Assert.Equal(reason, Assert.Single(game.InvalidMoves).Reason);
        Assert.Equal(mover, game.ToMove);
        Assert.Equal(before, game.Actions);
    }

    [Fact]
    public void Two_bad_replies_forfeit_the_hand()
    {
        var game = Deal(3);

        SubmitAll(game, ("alice", "MOVE: bet"), ("bob", "MOVE: check"), ("bob", "hmm"));

        Assert.Equal("forfeit:bob", game.EndReason);
        Assert.Equal(1.0, game.Outcome().Scores["alice"]);
        Assert.Equal(0.0, game.Outcome().Scores["bob"]);
    }

    [Fact]
    public void Each_player_sees_its_own_card_and_nothing_of_the_other_card()
    {
        // Two deals where alice holds the same card and bob a different one: alice's view must not change.
        var deals = Enumerable.Range(0, 200).Select(s => Deal((ulong)s)).ToList();
        var a = deals[0];
        var b = deals.First(d => d.Cards[0] == a.Cards[0] && d.Cards[1] != a.Cards[1]);
        SubmitAll(a, ("alice", "MOVE: bet"));
        SubmitAll(b, ("alice", "MOVE: bet"));

        Assert.Equal(a.Observe("alice"), b.Observe("alice"));
        Assert.Contains($"Your card: {a.Cards[0]}.", a.Observe("alice"), StringComparison.Ordinal);
        Assert.Contains($"Your card: {a.Cards[1]}.", a.Observe("bob"), StringComparison.Ordinal);
        Assert.NotEqual(a.Observe("bob"), b.Observe("bob"));
    }

    [Fact]
    public void The_deal_is_a_function_of_the_seed_and_all_six_deals_occur()
    {
        var deals = Enumerable.Range(0, 200).Select(s => new string([.. Deal((ulong)s).Cards])).ToList();

        Assert.Equal(deals, Enumerable.Range(0, 200).Select(s => new string([.. Deal((ulong)s).Cards])));
        Assert.Equal(["JK", "JQ", "KJ", "KQ", "QJ", "QK"], deals.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Replaying_the_stored_turns_gives_the_same_state()
    {
        var replies = new[] { ("alice", "MOVE: check"), ("bob", "MOVE: fold"), ("bob", "MOVE: bet") };
        var live = Deal(9);
        SubmitAll(live, replies);

        var replayed = (KuhnPoker)Definition.Replay(NoTask, 9, Turns(replies));

        Assert.Equal(Observations(live), Observations(replayed));
        Assert.Equal(live.Actions, replayed.Actions);
        Assert.Equal(live.InvalidMoves, replayed.InvalidMoves);
    }
}
