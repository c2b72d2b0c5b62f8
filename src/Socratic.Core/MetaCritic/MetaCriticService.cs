// The meta-critic step over the database: gathers a generation's evidence (per-game mean grounded scores now and
// in the previous generation, each game's share of the curated dataset, judge/length correlation, held-out
// results of the trained policy and its parent, coverage alarms), asks MetaCriticPolicy for proposals, stores
// them as Proposed decisions, and lets the autopilot apply the kinds the campaign allows. Running it twice for a
// generation returns the decisions already made.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Coverage;
using Socratic.Core.Data;
using Socratic.Core.Play;

namespace Socratic.Core.MetaCritic;

public static class MetaCriticService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<Decision>> ProposeAsync(SocraticDbContext db, long generationId, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await db.Decisions.Where(d => d.GenerationId == generationId).OrderBy(d => d.Id).ToListAsync(ct);
        if (existing.Count > 0)
        {
            return existing;
        }

        var evidence = await GatherAsync(db, generationId, ct);
        var generation = await db.Generations.AsNoTracking().FirstAsync(g => g.Id == generationId, ct);
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == generation.CampaignId, ct);
        var proposals = MetaCriticPolicy.Propose(evidence, CampaignConfig.FromJson(campaign.Config).MetaCritic);
        var decisions = proposals.Select(p => new Decision
        {
            CampaignId = campaign.Id, GenerationId = generationId, Kind = p.Kind, Rationale = p.Rationale, Evidence = p.Evidence.ToJsonString(),
            ExpectedEffect = p.ExpectedEffect, Payload = p.Payload.ToJsonString(), ProposedAt = now,
        }).ToList();
        db.Decisions.AddRange(decisions);
        await db.SaveChangesAsync(ct);
        await DecisionApplier.RunAutopilotAsync(db, campaign.Id, now, ct);
        return decisions;
    }

    public static async Task<GenerationEvidence> GatherAsync(SocraticDbContext db, long generationId, CancellationToken ct)
    {
        var generation = await db.Generations.AsNoTracking().FirstAsync(g => g.Id == generationId, ct);
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Games).FirstAsync(c => c.Id == generation.CampaignId, ct);
        var config = CampaignConfig.FromJson(campaign.Config);

        var (policyId, parentId) = await PoliciesAsync(db, generation, ct);

        var previous = await db.Generations.AsNoTracking().Where(g => g.CampaignId == campaign.Id && g.Number < generation.Number)
            .OrderByDescending(g => g.Number).Select(g => (long?)g.Id).FirstOrDefaultAsync(ct);
        var now = await GameStatsAsync(db, generationId, ct);
        var before = previous is { } p ? await GameStatsAsync(db, p, ct) : [];
        var dataShares = await db.DatasetItems.AsNoTracking()
            .Where(i => db.Datasets.Any(d => d.Id == i.DatasetId && d.GenerationId == generationId) && i.EpisodeId != null)
            .Join(db.Episodes, i => i.EpisodeId, e => e.Id, (i, e) => e.GameVersion.GameId)
            .GroupBy(g => g).Select(g => new { GameId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.GameId, x => x.Count, ct);
        var totalData = Math.Max(1, dataShares.Values.Sum());
        var names = await db.Games.AsNoTracking().Where(g => campaign.Games.Select(cg => cg.GameId).Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Slug, ct);

        var games = campaign.Games.Where(g => !g.Paused).Select(g => new GameEvidence(
            g.GameId, names.GetValueOrDefault(g.GameId, $"game {g.GameId}"), g.Weight, (double)dataShares.GetValueOrDefault(g.GameId) / totalData,
            now.TryGetValue(g.GameId, out var n) ? n.Mean : 0, before.TryGetValue(g.GameId, out var b) ? b.Mean : null,
            n?.Episodes ?? 0, n?.JudgeLengthCorrelation, 0, n?.Examples)).ToList();

        var alarms = await db.CoverageReports.AsNoTracking().Where(r => r.GenerationId == generationId && r.GameId == null).Select(r => r.Alarms).FirstOrDefaultAsync(ct);
        return new GenerationEvidence(
            generation.Number, policyId, parentId, games,
            await EvalAsync(db, policyId, config.EvalSuites, ct), parentId is { } pid ? await EvalAsync(db, pid, config.EvalSuites, ct) : [],
            alarms is null ? [] : JsonSerializer.Deserialize<List<CoverageAlarm>>(alarms, Json) ?? [], config.Temperature);
    }

    /// <summary>The policy a generation is judged by — the one it trained (child of the one that played), else the
    /// one that played — and the parent it is compared with.</summary>
    public static async Task<(long PolicyId, long? ParentId)> PoliciesAsync(SocraticDbContext db, Generation generation, CancellationToken ct)
    {
        var trained = await db.Policies.AsNoTracking().Where(p => p.ParentPolicyId == generation.PolicyId && p.CampaignId == generation.CampaignId)
            .OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        var played = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == generation.PolicyId, ct);
        return trained is not null ? (trained.Id, played.Id) : (played.Id, played.ParentPolicyId);
    }

    private sealed record GameStats(double Mean, int Episodes, double? JudgeLengthCorrelation, IReadOnlyList<long> Examples);

    private static async Task<Dictionary<long, GameStats>> GameStatsAsync(SocraticDbContext db, long generationId, CancellationToken ct)
    {
        var rows = await db.Scores.AsNoTracking()
            .Join(db.Episodes.Where(e => e.Status == EpisodeStatus.Completed && db.Runs.Any(r => r.Id == e.RunId && r.GenerationId == generationId)),
                s => s.EpisodeId, e => e.Id, (s, e) => new { e.GameVersion.GameId, s.EpisodeId, s.Role, s.Value, s.Grounded })
            .ToListAsync(ct);
        var lengths = await db.Turns.AsNoTracking().Where(t => rows.Select(r => r.EpisodeId).Contains(t.EpisodeId))
            .GroupBy(t => new { t.EpisodeId, t.Role }).Select(g => new { g.Key.EpisodeId, g.Key.Role, Length = g.Sum(t => t.Text.Length) })
            .ToDictionaryAsync(x => (x.EpisodeId, x.Role), x => x.Length, ct);
        return rows.GroupBy(r => r.GameId).ToDictionary(g => g.Key, g =>
        {
            var grounded = g.Where(r => r.Grounded).ToList();
            var judged = g.Where(r => !r.Grounded).ToList();
            var corr = judged.Count >= 5
                ? Scoring.Correlation.Pearson([.. judged.Select(r => r.Value)], [.. judged.Select(r => (double)lengths.GetValueOrDefault((r.EpisodeId, r.Role)))])
                : null;
            var best = g.OrderByDescending(r => r.Value).ThenBy(r => r.EpisodeId).Select(r => r.EpisodeId).Distinct().Take(3);
            return new GameStats((grounded.Count > 0 ? grounded : g.ToList()).Average(r => r.Value), g.Select(r => r.EpisodeId).Distinct().Count(), corr, [.. best]);
        });
    }

    private static async Task<IReadOnlyList<EvalEvidence>> EvalAsync(SocraticDbContext db, long policyId, IReadOnlyList<string> suites, CancellationToken ct)
    {
        var results = await db.EvaluationResults.AsNoTracking().Where(r => r.PolicyId == policyId).OrderByDescending(r => r.CreatedAt).ToListAsync(ct);
        return [.. results.GroupBy(r => r.Suite).Where(g => suites.Count == 0 || suites.Contains(g.Key)).Select(g => g.First()).Select(r => new EvalEvidence(r.Suite, r.Count, r.Correct))];
    }
}
