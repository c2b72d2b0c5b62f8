// Elo math of the campaign's opponent pool: expected scores and updates against hand-computed values, rating
// conservation, how a multi-role episode becomes pairwise games (K shared over the other roles, draws, roles of
// one policy skipped), and that an episode's games all use the ratings from before it.
using Socratic.Core.Ratings;

namespace Socratic.Core.Tests.Ratings;

public sealed class EloTests
{
    private static readonly RatingSettings Settings = new();

    [Theory]
    [InlineData(1500, 1500, 0.5)]
    [InlineData(1900, 1500, 0.909091)] // 1 / (1 + 10^-1)
    [InlineData(1500, 1900, 0.090909)]
    [InlineData(1600, 1500, 0.640065)]
    public void Expected_score_follows_the_logistic_curve_with_400_points_per_factor_of_ten(double a, double b, double expected) =>
        Assert.Equal(expected, Elo.Expected(a, b), 6);

    [Fact]
    public void Defaults_are_K_32_from_1500()
    {
        Assert.Equal((32.0, 1500.0), (Settings.K, Settings.Initial));
    }

    [Theory]
    [InlineData(1500, 1500, 1.0, 1516, 1484)]
    [InlineData(1500, 1500, 0.5, 1500, 1500)]
    [InlineData(1500, 1500, 0.0, 1484, 1516)]
    [InlineData(1600, 1500, 0.5, 1595.518, 1504.482)] // the favourite loses points on a draw: 32 × (0.5 − 0.640065)
    [InlineData(1500, 1900, 1.0, 1529.091, 1870.909)] // an upset moves ratings by almost K
    public void Update_moves_both_ratings_by_K_times_the_surprise_and_conserves_their_sum(double a, double b, double outcome, double newA, double newB)
    {
        var (ra, rb) = Elo.Update(a, b, outcome, 32);

        Assert.Equal(newA, ra, 3);
        Assert.Equal(newB, rb, 3);
        Assert.Equal(a + b, ra + rb, 9);
    }

    [Fact]
    public void A_two_role_episode_is_one_game_won_by_the_higher_grounded_score()
    {
        var game = Assert.Single(Elo.Pairwise([new RatedRole("attacker", 1, 0.0), new RatedRole("defender", 2, 1.0)], Settings));

        Assert.Equal(new PairwiseGame(1, 2, 0.0, 32), game);
    }

    [Fact]
    public void Equal_scores_are_a_draw_and_roles_of_the_same_policy_play_no_game()
    {
        Assert.Equal(0.5, Assert.Single(Elo.Pairwise([new RatedRole("a", 1, 0.7), new RatedRole("b", 2, 0.7)], Settings)).Outcome);
        Assert.Empty(Elo.Pairwise([new RatedRole("a", 1, 1.0), new RatedRole("b", 1, 0.0)], Settings));
        Assert.Empty(Elo.Pairwise([new RatedRole("a", 1, 1.0)], Settings));
    }

    [Fact]
    public void A_three_role_episode_is_a_game_per_pair_of_policies_at_K_over_two()
    {
        // Policy 1 plays two roles (they do not play each other); policy 2 plays the third.
        var games = Elo.Pairwise([new RatedRole("p1", 1, 3), new RatedRole("p2", 1, 1), new RatedRole("p3", 2, 2)], Settings);

        Assert.Equal([new PairwiseGame(1, 2, 1.0, 16), new PairwiseGame(1, 2, 0.0, 16)], games);
    }

    [Fact]
    public void An_episode_applies_all_its_games_from_the_ratings_before_it()
    {
        var ratings = new Dictionary<long, double> { [1] = 1500, [2] = 1500, [3] = 1500 };
        var games = Elo.Pairwise([new RatedRole("a", 1, 1), new RatedRole("b", 2, 0), new RatedRole("c", 3, 0)], Settings);

        var deltas = Elo.ApplyEpisode(ratings, games);

        // Each of 1's two games is worth 16 × 0.5 = 8 (both from 1500 vs 1500, not from 1508 after the first).
        Assert.Equal(1516, ratings[1], 9);
        Assert.Equal(1492, ratings[2], 9);
        Assert.Equal(1492, ratings[3], 9);
        Assert.Equal(0, deltas.Values.Sum(), 9);
    }

    [Fact]
    public void Repeated_wins_converge_toward_a_gap_that_matches_the_win_rate()
    {
        // 3 wins in 4 games against the same opponent, many times over: the expected score approaches 0.75.
        var ratings = new Dictionary<long, double> { [1] = 1500, [2] = 1500 };
        for (var i = 0; i < 4000; i++)
        {
            Elo.ApplyEpisode(ratings, Elo.Pairwise([new RatedRole("a", 1, i % 4 == 0 ? 0 : 1), new RatedRole("b", 2, 0.5)], Settings with { K = 4 }));
        }

        Assert.InRange(Elo.Expected(ratings[1], ratings[2]), 0.70, 0.80);
    }
}
