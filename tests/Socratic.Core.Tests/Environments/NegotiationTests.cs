// Negotiation rules with scripted replies: a deal scored by each player's share of its own private value, no
// deal, malformed and illegal offers rejected and recorded, private values never in the other's view.
using Socratic.Core.Environments;
using static Socratic.Core.Tests.Environments.EnvironmentKit;

namespace Socratic.Core.Tests.Environments;

public class NegotiationTests
{
    private static readonly NegotiationDefinition Definition = new() { MaxOffers = 2 };

    private static Negotiation New(ulong seed = 5) => (Negotiation)Definition.Create(NoTask, seed);

    [Fact]
    public void An_accepted_offer_scores_each_share_of_its_own_value_zero_sum()
    {
        var game = New();
        var (v1, v2) = (game.Values[0], game.Values[1]);

        SubmitAll(game, ("first", "I want the books.\nPROPOSE: book=3 hat=0 ball=1"), ("second", "ACCEPT"));

        Assert.Equal("game_over:deal", game.EndReason);
        var first = ((3.0 * v1[0]) + v1[2]) / ((3.0 * v1[0]) + (2.0 * v1[1]) + v1[2]);
        var second = 2.0 * v2[1] / ((3.0 * v2[0]) + (2.0 * v2[1]) + v2[2]);
        Assert.Equal((first, second), game.Gains());
        var scores = game.Outcome().Scores;
        Assert.Equal(0.5 + ((first - second) / 2), scores["first"], 12);
        Assert.Equal(1.0, scores["first"] + scores["second"], 12);
    }

    [Fact]
    public void Accepting_a_counter_offer_gives_the_counter_offer()
    {
        var game = New();

        SubmitAll(game, ("first", "PROPOSE: book=3 hat=2 ball=1"), ("second", "PROPOSE: book=0 hat=0 ball=0"), ("first", "**ACCEPT**"));

        Assert.Equal((1.0, 0.0), game.Gains());
        Assert.Equal(1.0, game.Outcome().Scores["first"]);
    }

    [Fact]
    public void Rejecting_the_last_offer_ends_without_a_deal_as_a_draw()
    {
        var game = New();

        SubmitAll(game, ("first", "PROPOSE: book=3 hat=2 ball=1"), ("second", "PROPOSE: book=3 hat=2 ball=1"), ("first", "REJECT"));

        Assert.Equal("game_over:no_deal", game.EndReason);
        Assert.Equal(0.5, game.Outcome().Scores["first"]);
        Assert.Equal(0.5, game.Outcome().Scores["second"]);
    }

    [Theory]
    [InlineData("PROPOSE: book=4 hat=0 ball=0", "book must be a whole number from 0 to 3")]
    [InlineData("PROPOSE: book=1 hat=0", "the offer must say how many of every item you keep; ball is missing")]
    [InlineData("PROPOSE: book=1 hat=0 ball=0 car=1", "'car=1' is not 'item=count'; items: book, hat, ball")]
    [InlineData("PROPOSE: book=1 book=1 hat=0 ball=0", "book is named twice")]
    [InlineData("PROPOSE: book=-1 hat=0 ball=0", "book must be a whole number from 0 to 3")]
    [InlineData("ACCEPT", "there is no offer to accept yet")]
    [InlineData("REJECT", "REJECT is only for the last offer; make a counter-offer with PROPOSE")]
    [InlineData("PROPOSE: book=1 hat=1 ball=1\nACCEPT", "ambiguous")]
    public void Malformed_and_illegal_offers_are_rejected_with_a_reason(string reply, string reason)
    {
        var game = New();

        Assert.False(game.Submit(0, "first", reply));

        Assert.StartsWith(reason, Assert.Single(game.InvalidMoves).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_offers_run_out_only_accept_or_reject_is_legal_and_a_third_bad_reply_is_impossible()
    {
        var game = New();

        var legal = SubmitAll(game, ("first", "PROPOSE: book=1 hat=1 ball=1"), ("second", "PROPOSE: book=1 hat=1 ball=1"),
            ("first", "PROPOSE: book=2 hat=1 ball=1"), ("first", "nothing"));

        Assert.Equal([true, true, false, false], legal);
        Assert.StartsWith("no offers are left", game.InvalidMoves[0].Reason, StringComparison.Ordinal);
        Assert.Equal("forfeit:first", game.EndReason);
        Assert.Equal(0.0, game.Outcome().Scores["first"]);
    }

    [Fact]
    public void Private_values_are_shown_only_to_their_owner()
    {
        // Two items valued 0 or 1: find two seeds where the first player's values agree and the second's differ.
        var definition = new NegotiationDefinition { Items = [new() { Name = "hat", Count = 1 }, new() { Name = "cup", Count = 1 }], MaxValue = 1 };
        var games = Enumerable.Range(0, 100).Select(s => (Negotiation)definition.Create(NoTask, (ulong)s)).ToList();
        var a = games[0];
        var b = games.First(g => g.Values[0].SequenceEqual(a.Values[0]) && !g.Values[1].SequenceEqual(a.Values[1]));

        Assert.Equal(a.Observe("first"), b.Observe("first"));
        Assert.NotEqual(a.Observe("second"), b.Observe("second"));
        Assert.Contains($"hat={a.Values[1][0]}, cup={a.Values[1][1]}", a.Observe("second"), StringComparison.Ordinal);
    }

    [Fact]
    public void Values_come_from_the_seed_and_replay_gives_the_same_state()
    {
        var replies = new[] { ("first", "PROPOSE: book=3 hat=0 ball=0"), ("second", "PROPOSE: hat=2"), ("second", "PROPOSE: book=0 hat=2 ball=1") };
        var live = New(11);
        SubmitAll(live, replies);

        var replayed = (Negotiation)Definition.Replay(NoTask, 11, Turns(replies));

        Assert.Equal(live.Values, replayed.Values);
        Assert.Equal(Observations(live), Observations(replayed));
        Assert.Contains(Enumerable.Range(0, 20), s => !New((ulong)s).Values[0].SequenceEqual(live.Values[0]));
    }
}
