// A small, hand-computable history for the dashboard tests: one campaign with two generations (played by a
// generation-0 and a generation-1 policy), a run outside it, scores grounded and judged, tokens and times,
// held-out evaluations and coverage reports. The expected numbers are in the comments.
using System.Text.Json;
using Socratic.Core.Campaigns;
using Socratic.Core.Coverage;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Dashboards;

public static class DashboardSeed
{
    public sealed record Seeded(long CampaignId, long GameA, long GameB, long Generation1Id);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static int _ordinal;

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static async Task<Seeded> SeedAsync(SocraticDbContext db, string gameAName = "Arithmetic")
    {
        var a = await TestData.GameAsync(db, gameAName);
        var b = await TestData.GameAsync(db, "Debate");
        var p0 = await TestData.PolicyAsync(db, "base", 0);
        var p1 = await TestData.PolicyAsync(db, "base-g1", 1, p0.Id);
        var other = await TestData.PolicyAsync(db, "elsewhere", 0);
        var campaign = new Campaign { Name = "loop", StartPolicyId = p0.Id, CreatedAt = Now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var g1 = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = p0.Id, StartedAt = Now };
        var g2 = new Generation { CampaignId = campaign.Id, Number = 2, PolicyId = p1.Id, StartedAt = Now };
        db.Generations.AddRange(g1, g2);
        await db.SaveChangesAsync();

        // Generation 0, game A, in the campaign: episode means 0.2 and 0.6 → mean 0.4, SD 0.2828; grounded means 0.2
        // and 0.4 → 0.3; judge 0.8; tokens 30 and 70 → 50; 1 s and 3 s → 2 s; and one failed episode.
        var run0 = Run(db, p0, g1.Id);
        Episode(db, run0, a, EpisodeStatus.Completed, 10, 20, 1000, (0.2, true));
        Episode(db, run0, a, EpisodeStatus.Completed, 30, 40, 3000, (0.4, true), (0.8, false));
        Episode(db, run0, a, EpisodeStatus.Failed, 0, 0, 0);
        // Generation 1 (the trained policy), in the campaign: game A one episode at 1.0, game B one at 0.5.
        var run1 = Run(db, p1, g2.Id);
        Episode(db, run1, a, EpisodeStatus.Completed, 5, 5, 500, (1.0, true));
        Episode(db, run1, b, EpisodeStatus.Completed, 50, 50, 2000, (0.5, false));
        // Outside the campaign: generation 0, game B, one episode at 0.
        var loose = Run(db, other, null);
        Episode(db, loose, b, EpisodeStatus.Completed, 1, 1, 100, (0.0, true));
        await db.SaveChangesAsync();

        // Held-out: generation 0 of the campaign 3/10 + 5/10 (pooled 8/20); the trained policy 15/20 (no generation
        // id: found through the campaign's generation 2 policy); another generation-0 policy 0/10, outside.
        db.EvaluationResults.AddRange(
            Eval(p0.Id, g1.Id, 3, 10), Eval(p0.Id, g1.Id, 5, 10), Eval(p1.Id, null, 15, 20), Eval(other.Id, null, 0, 10));

        // Coverage: generation 1 of the campaign (policy generation 0) as a whole and for game A; generation 2 as a whole.
        db.CoverageReports.AddRange(
            Coverage(g1.Id, null, 0.5, """[{"kind":"collapse","metric":"distinct2"}]"""),
            Coverage(g1.Id, a.GameId, 0.4, "[]"),
            Coverage(g2.Id, null, 0.3, "[]"));
        await db.SaveChangesAsync();
        return new Seeded(campaign.Id, a.GameId, b.GameId, g1.Id);
    }

    private static Run Run(SocraticDbContext db, Policy policy, long? generationId)
    {
        var run = new Run { PolicyId = policy.Id, GenerationId = generationId, Status = RunStatus.Completed, EpisodeCount = 3, CreatedAt = Now };
        db.Runs.Add(run);
        return run;
    }

    private static void Episode(SocraticDbContext db, Run run, GameVersion version, EpisodeStatus status, int prompt, int completion, long ms, params (double Value, bool Grounded)[] scores) =>
        db.Episodes.Add(new Episode
        {
            Run = run, Ordinal = Interlocked.Increment(ref _ordinal), GameVersionId = version.Id,
            TaskId = "t", Task = "{}", Status = status, StartedAt = Now, PromptTokens = prompt, CompletionTokens = completion, DurationMs = ms,
            Scores = [.. scores.Select((s, i) => new Score { Role = "solver", Scorer = $"s{i}", Kind = s.Grounded ? "exact" : "judge", Value = s.Value, Grounded = s.Grounded })],
        });

    private static EvaluationResult Eval(long policyId, long? generationId, int correct, int count) => new()
    {
        PolicyId = policyId, GenerationId = generationId, Suite = "arithmetic-heldout", Count = count, Correct = correct,
        Accuracy = (double)correct / count, CreatedAt = Now,
    };

    private static CoverageReport Coverage(long generationId, long? gameId, double distinct2, string alarms) => new()
    {
        GenerationId = generationId, GameId = gameId, Alarms = alarms, CreatedAt = Now,
        Metrics = JsonSerializer.Serialize(
            new CoverageMetrics { Texts = 10, Distinct1 = 0.6, Distinct2 = distinct2, SelfBleu = 0.2, CompressionRatio = 2.5, Novelty = 1 },
            Web),
    };
}
