// Rates a generation's self-play: starting from each policy's latest rating in the campaign (a policy new to the
// campaign starts at its parent's rating, the first at RatingSettings.Initial), it replays the generation's
// completed episodes in order (run, ordinal), turns each into pairwise games by grounded score (Elo.Pairwise) and
// stores one PolicyRating per policy that took part or played the generation. Rating a generation twice returns
// the rows already stored.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Play;

namespace Socratic.Core.Ratings;

public static class RatingService
{
    public static async Task<IReadOnlyList<PolicyRating>> RateGenerationAsync(
        SocraticDbContext db, long generationId, RatingSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        var existing = await db.PolicyRatings.AsNoTracking().Where(r => r.GenerationId == generationId).OrderBy(r => r.PolicyId).ToListAsync(ct);
        if (existing.Count > 0)
        {
            return existing;
        }

        var generation = await db.Generations.AsNoTracking().FirstAsync(g => g.Id == generationId, ct);
        var earlier = await db.PolicyRatings.AsNoTracking()
            .Join(db.Generations.Where(g => g.CampaignId == generation.CampaignId && g.Number < generation.Number), r => r.GenerationId, g => g.Id, (r, g) => new { Row = r, g.Number })
            .ToListAsync(ct);
        var records = earlier.GroupBy(x => x.Row.PolicyId).ToDictionary(g => g.Key, g =>
        {
            var last = g.OrderByDescending(x => x.Number).First().Row;
            return new PolicyRating
            {
                CampaignId = generation.CampaignId, GenerationId = generationId, PolicyId = last.PolicyId, Rating = last.Rating, Games = last.Games,
                Wins = last.Wins, Losses = last.Losses, Draws = last.Draws, UpdatedAt = now,
            };
        });

        var episodeIds = await db.Episodes.AsNoTracking()
            .Where(e => e.Status == EpisodeStatus.Completed && db.Runs.Any(r => r.Id == e.RunId && r.GenerationId == generationId))
            .OrderBy(e => e.RunId).ThenBy(e => e.Ordinal).Select(e => e.Id).ToListAsync(ct);
        var roles = (await db.EpisodeRoles.AsNoTracking().Where(r => episodeIds.Contains(r.EpisodeId)).ToListAsync(ct)).ToLookup(r => r.EpisodeId);
        var scores = (await db.Scores.AsNoTracking().Where(s => episodeIds.Contains(s.EpisodeId) && s.Grounded).Select(s => new { s.EpisodeId, s.Role, s.Value }).ToListAsync(ct))
            .ToLookup(s => s.EpisodeId);

        var participants = roles.SelectMany(g => g.Select(r => r.PolicyId)).Append(generation.PolicyId).Distinct().ToList();
        var parents = await db.Policies.AsNoTracking().Where(p => participants.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ParentPolicyId, ct);
        foreach (var policy in participants.Where(p => !records.ContainsKey(p)).Order())
        {
            var start = parents.GetValueOrDefault(policy) is { } parent && records.TryGetValue(parent, out var p) ? p.Rating : settings.Initial;
            records[policy] = new PolicyRating { CampaignId = generation.CampaignId, GenerationId = generationId, PolicyId = policy, Rating = start, UpdatedAt = now };
        }

        var ratings = records.ToDictionary(r => r.Key, r => r.Value.Rating);
        foreach (var episode in episodeIds)
        {
            // A role's score is the sum of its grounded scores; roles without one take no part.
            var byRole = scores[episode].GroupBy(s => s.Role).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
            var rated = roles[episode].Where(r => byRole.ContainsKey(r.Role)).OrderBy(r => r.Role, StringComparer.Ordinal)
                .Select(r => new RatedRole(r.Role, r.PolicyId, byRole[r.Role])).ToList();
            var games = Elo.Pairwise(rated, settings);
            Elo.ApplyEpisode(ratings, games);
            foreach (var g in games)
            {
                Count(records[g.PolicyA], g.Outcome);
                Count(records[g.PolicyB], 1 - g.Outcome);
            }
        }

        var rows = participants.Order().Select(p => records[p]).ToList();
        foreach (var row in rows)
        {
            row.Rating = ratings[row.PolicyId];
        }

        db.PolicyRatings.AddRange(rows);
        await db.SaveChangesAsync(ct);
        return rows;
    }

    private static void Count(PolicyRating record, double outcome)
    {
        record.Games++;
        switch (outcome)
        {
            case 1:
                record.Wins++;
                break;
            case 0:
                record.Losses++;
                break;
            default:
                record.Draws++;
                break;
        }
    }
}
