// Elo ratings of a campaign's policies from self-play outcomes. A game between two players a and b with ratings
// Ra, Rb: a's expected score is E = 1 / (1 + 10^((Rb − Ra)/400)); after an outcome S (1 win, ½ draw, 0 loss)
// Ra' = Ra + K·(S − E) and Rb' = Rb − K·(S − E), so rating is conserved. A multi-role episode is a set of
// pairwise games: every two scored roles played by different policies, the higher grounded score winning (equal
// scores: a draw), each pair at K/(m − 1) for m scored roles, so one role's rating moves by at most about K per
// episode however many roles the game has. All of an episode's pairs use the ratings from before the episode.
namespace Socratic.Core.Ratings;

/// <summary>How ratings move; documented defaults, overridable per campaign (config "ratings").</summary>
public sealed record RatingSettings
{
    /// <summary>Step size: the most one two-role game moves a rating.</summary>
    public double K { get; init; } = 32;

    /// <summary>Rating of the campaign's first policy; later policies start at their parent's rating.</summary>
    public double Initial { get; init; } = 1500;

    /// <summary>Grounded scores this close count as a draw.</summary>
    public double DrawMargin { get; init; } = 1e-9;
}

/// <summary>One role of a finished episode: who played it and its total grounded score.</summary>
public sealed record RatedRole(string Role, long PolicyId, double Score);

/// <summary>A pairwise game from an episode: <paramref name="Outcome"/> is A's score (1, ½ or 0); <paramref name="K"/> its step.</summary>
public sealed record PairwiseGame(long PolicyA, long PolicyB, double Outcome, double K);

public static class Elo
{
    /// <summary>A's expected score against B.</summary>
    public static double Expected(double ratingA, double ratingB) => 1.0 / (1.0 + Math.Pow(10, (ratingB - ratingA) / 400.0));

    /// <summary>Both ratings after A scored <paramref name="outcome"/> (1 win, 0.5 draw, 0 loss) against B.</summary>
    public static (double A, double B) Update(double ratingA, double ratingB, double outcome, double k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outcome, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outcome, 1);
        var delta = k * (outcome - Expected(ratingA, ratingB));
        return (ratingA + delta, ratingB - delta);
    }

    /// <summary>The pairwise games of one episode (see the file header); roles played by the same policy are not a game.</summary>
    public static IReadOnlyList<PairwiseGame> Pairwise(IReadOnlyList<RatedRole> roles, RatingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(settings);
        var games = new List<PairwiseGame>();
        if (roles.Count < 2)
        {
            return games;
        }

        var k = settings.K / (roles.Count - 1);
        for (var i = 0; i < roles.Count; i++)
        {
            for (var j = i + 1; j < roles.Count; j++)
            {
                var (a, b) = (roles[i], roles[j]);
                if (a.PolicyId == b.PolicyId)
                {
                    continue;
                }

                var outcome = Math.Abs(a.Score - b.Score) <= settings.DrawMargin ? 0.5 : a.Score > b.Score ? 1.0 : 0.0;
                games.Add(new PairwiseGame(a.PolicyId, b.PolicyId, outcome, k));
            }
        }

        return games;
    }

    /// <summary>Applies one episode's games to <paramref name="ratings"/> (every policy in them must be present),
    /// all from the ratings before the episode; returns each policy's change.</summary>
    public static IReadOnlyDictionary<long, double> ApplyEpisode(IDictionary<long, double> ratings, IReadOnlyList<PairwiseGame> games)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(games);
        var deltas = new Dictionary<long, double>();
        foreach (var g in games)
        {
            var delta = g.K * (g.Outcome - Expected(ratings[g.PolicyA], ratings[g.PolicyB]));
            deltas[g.PolicyA] = deltas.GetValueOrDefault(g.PolicyA) + delta;
            deltas[g.PolicyB] = deltas.GetValueOrDefault(g.PolicyB) - delta;
        }

        foreach (var (policy, delta) in deltas)
        {
            ratings[policy] += delta;
        }

        return deltas;
    }
}
