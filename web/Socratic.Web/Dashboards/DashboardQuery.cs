// What the Dashboards page and its CSV export show, aggregated in PostgreSQL: per generation and game, the
// episodes' mean score with its spread (sample SD of the episodes' own means, as Transcripts defines an episode's
// score), grounded and judge means, tokens and seconds per episode; per generation and suite, the held-out grounded
// evaluation pooled into one accuracy with its 95% Wilson interval; per generation (and game), the coverage
// metrics. "Generation" is the playing (or evaluated) policy's generation, as on Transcripts, so a policy's own
// play, its diversity and its held-out accuracy line up at one x.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Core.Play;
using Socratic.Web.Api;

namespace Socratic.Web.Dashboards;

public sealed record DashboardFilter
{
    public long? CampaignId { get; init; }

    public long? GameId { get; init; }

    public int? FromGeneration { get; init; }

    public int? ToGeneration { get; init; }
}

public sealed record GameGenerationRow(
    int Generation, long GameId, string Game, int Episodes, int Failed, int Scored, double? MeanScore, double? ScoreSd,
    double? GroundedMean, double? JudgeMean, double? TokensPerEpisode, double? SecondsPerEpisode);

public sealed record EvaluationRow(int Generation, string Suite, int Results, int Count, int Correct, double Accuracy, double CiLow, double CiHigh);

/// <summary>Coverage of a generation: the whole generation when <see cref="GameId"/> is null, else one game in it.</summary>
public sealed record DiversityRow(
    int Generation, long? GameId, string Game, int Texts, double Distinct1, double Distinct2, double SelfBleu, double CompressionRatio,
    double Novelty, int Alarms);

public sealed record DashboardData(IReadOnlyList<GameGenerationRow> Games, IReadOnlyList<EvaluationRow> Evaluation, IReadOnlyList<DiversityRow> Diversity)
{
    public bool IsEmpty => Games.Count == 0 && Evaluation.Count == 0 && Diversity.Count == 0;

    /// <summary>Every generation any table has, in order: the charts' x axis.</summary>
    public IReadOnlyList<int> Generations =>
        [.. Games.Select(r => r.Generation).Concat(Evaluation.Select(r => r.Generation)).Concat(Diversity.Select(r => r.Generation)).Distinct().Order()];
}

public sealed class DashboardQuery(IDbContextFactory<SocraticDbContext> dbFactory)
{
    public const string AllGames = "(all games)";

    /// <summary>The flat shape of one coverage report, its jsonb metrics read by PostgreSQL.</summary>
    private sealed record CoverageFlat(long GenerationId, long? GameId, int Texts, double Distinct1, double Distinct2, double SelfBleu, double CompressionRatio, double Novelty, int Alarms);

    public static void Validate(DashboardFilter f)
    {
        if (f.FromGeneration is { } from && f.ToGeneration is { } to && from > to)
        {
            throw new RequestValidationException([new("from", $"generation {from} is after to ({to})")]);
        }
    }

    public async Task<DashboardData> LoadAsync(DashboardFilter f, CancellationToken cancellationToken)
    {
        Validate(f);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var games = await GamesAsync(db, f, cancellationToken);
        var evaluation = await EvaluationAsync(db, f, cancellationToken);
        var diversity = await DiversityAsync(db, f, cancellationToken);
        var ids = games.Select(g => g.GameId).Concat(diversity.Where(d => d.GameId is not null).Select(d => d.GameId!.Value)).Distinct().ToList();
        var names = await db.Games.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        string Name(long? id) => id is { } v ? names.GetValueOrDefault(v, $"game {v}") : AllGames;
        return new DashboardData(
            [.. games.Select(g => g with { Game = Name(g.GameId) }).OrderBy(g => g.Generation).ThenBy(g => g.Game, StringComparer.Ordinal)],
            evaluation,
            [.. diversity.Select(d => d with { Game = Name(d.GameId) }).OrderBy(d => d.Generation).ThenBy(d => d.GameId is not null).ThenBy(d => d.Game, StringComparer.Ordinal)]);
    }

    private static async Task<List<GameGenerationRow>> GamesAsync(SocraticDbContext db, DashboardFilter f, CancellationToken ct)
    {
        var episodes = Episodes(db, f).Where(e => e.Status == EpisodeStatus.Completed || e.Status == EpisodeStatus.Failed);
        // Each episode's own mean (over its roles and scorers), then mean and spread of those per generation and game.
        var perEpisode = db.Scores.Where(s => episodes.Any(e => e.Id == s.EpisodeId)).GroupBy(s => s.EpisodeId).Select(g => new
        {
            EpisodeId = g.Key,
            Mean = g.Average(s => s.Value),
            Grounded = g.Where(s => s.Grounded).Average(s => (double?)s.Value),
            Judge = g.Where(s => !s.Grounded).Average(s => (double?)s.Value),
        });
        var rows = await (
                from e in episodes
                join r in db.Runs on e.RunId equals r.Id
                join p in db.Policies on r.PolicyId equals p.Id
                join s in perEpisode on e.Id equals s.EpisodeId into scored
                from s in scored.DefaultIfEmpty()
                select new
                {
                    p.Generation,
                    e.GameVersion.GameId,
                    Completed = e.Status == EpisodeStatus.Completed,
                    Tokens = (double)(e.PromptTokens + e.CompletionTokens),
                    Seconds = e.DurationMs / 1000.0,
                    Mean = (double?)s.Mean,
                    Grounded = (double?)s.Grounded,
                    Judge = (double?)s.Judge,
                })
            .GroupBy(x => new { x.Generation, x.GameId })
            .Select(g => new GameGenerationRow(
                g.Key.Generation, g.Key.GameId, "",
                g.Count(x => x.Completed), g.Count(x => !x.Completed), g.Count(x => x.Completed && x.Mean != null),
                g.Where(x => x.Completed).Average(x => x.Mean),
                EF.Functions.StandardDeviationSample(g.Where(x => x.Completed && x.Mean != null).Select(x => x.Mean!.Value)),
                g.Where(x => x.Completed).Average(x => x.Grounded),
                g.Where(x => x.Completed).Average(x => x.Judge),
                g.Where(x => x.Completed).Average(x => (double?)x.Tokens),
                g.Where(x => x.Completed).Average(x => (double?)x.Seconds)))
            .ToListAsync(ct);
        return rows;
    }

    private static IQueryable<Episode> Episodes(SocraticDbContext db, DashboardFilter f)
    {
        var q = db.Episodes.AsNoTracking();
        if (f.CampaignId is { } campaign)
        {
            q = q.Where(e => db.Generations.Any(g => g.CampaignId == campaign && g.Id == e.Run.GenerationId));
        }

        if (f.GameId is { } game)
        {
            q = q.Where(e => e.GameVersion.GameId == game);
        }

        if (f.FromGeneration is { } from)
        {
            q = q.Where(e => db.Policies.Any(p => p.Id == e.Run.PolicyId && p.Generation >= from));
        }

        if (f.ToGeneration is { } to)
        {
            q = q.Where(e => db.Policies.Any(p => p.Id == e.Run.PolicyId && p.Generation <= to));
        }

        return q;
    }

    private static async Task<List<EvaluationRow>> EvaluationAsync(SocraticDbContext db, DashboardFilter f, CancellationToken ct)
    {
        var q = from e in db.EvaluationResults.AsNoTracking()
                join p in db.Policies on e.PolicyId equals p.Id
                select new { e, p.Generation };
        if (f.CampaignId is { } campaign)
        {
            // A result belongs to the campaign when it names one of its generations, or evaluated a policy it played or trained.
            q = q.Where(x => db.Generations.Any(g => g.CampaignId == campaign && (g.Id == x.e.GenerationId || g.PolicyId == x.e.PolicyId))
                || db.Policies.Any(p => p.Id == x.e.PolicyId && p.CampaignId == campaign));
        }

        if (f.FromGeneration is { } from)
        {
            q = q.Where(x => x.Generation >= from);
        }

        if (f.ToGeneration is { } to)
        {
            q = q.Where(x => x.Generation <= to);
        }

        var pooled = await q.GroupBy(x => new { x.Generation, x.e.Suite })
            .Select(g => new { g.Key.Generation, g.Key.Suite, Results = g.Count(), Count = g.Sum(x => x.e.Count), Correct = g.Sum(x => x.e.Correct) })
            .OrderBy(x => x.Generation).ThenBy(x => x.Suite)
            .ToListAsync(ct);
        return [.. pooled.Select(x =>
        {
            var (low, high) = Proportions.Wilson(x.Correct, x.Count);
            return new EvaluationRow(x.Generation, x.Suite, x.Results, x.Count, x.Correct, x.Count == 0 ? 0 : (double)x.Correct / x.Count, low, high);
        })];
    }

    private static async Task<List<DiversityRow>> DiversityAsync(SocraticDbContext db, DashboardFilter f, CancellationToken ct)
    {
        // The metrics are a jsonb document (CoverageMetrics, camelCase): PostgreSQL reads the fields, EF composes the rest.
        var flat = db.Database.SqlQuery<CoverageFlat>($"""
            SELECT c."GenerationId", c."GameId",
                   COALESCE((c."Metrics"->>'texts')::int, 0) AS "Texts",
                   COALESCE((c."Metrics"->>'distinct1')::float8, 0) AS "Distinct1",
                   COALESCE((c."Metrics"->>'distinct2')::float8, 0) AS "Distinct2",
                   COALESCE((c."Metrics"->>'selfBleu')::float8, 0) AS "SelfBleu",
                   COALESCE((c."Metrics"->>'compressionRatio')::float8, 0) AS "CompressionRatio",
                   COALESCE((c."Metrics"->>'novelty')::float8, 0) AS "Novelty",
                   CASE WHEN jsonb_typeof(c."Alarms") = 'array' THEN jsonb_array_length(c."Alarms") ELSE 0 END AS "Alarms"
            FROM "CoverageReports" AS c
            """);
        var q = from c in flat
                join g in db.Generations on c.GenerationId equals g.Id
                join p in db.Policies on g.PolicyId equals p.Id
                select new { c, g.CampaignId, p.Generation };
        if (f.CampaignId is { } campaign)
        {
            q = q.Where(x => x.CampaignId == campaign);
        }

        if (f.GameId is { } game)
        {
            q = q.Where(x => x.c.GameId == game);
        }

        if (f.FromGeneration is { } from)
        {
            q = q.Where(x => x.Generation >= from);
        }

        if (f.ToGeneration is { } to)
        {
            q = q.Where(x => x.Generation <= to);
        }

        // Several reports at one generation (two campaigns, a repeated generation) are averaged; texts and alarms add up.
        return await q.GroupBy(x => new { x.Generation, x.c.GameId })
            .Select(g => new DiversityRow(
                g.Key.Generation, g.Key.GameId, "", g.Sum(x => x.c.Texts),
                g.Average(x => x.c.Distinct1), g.Average(x => x.c.Distinct2), g.Average(x => x.c.SelfBleu),
                g.Average(x => x.c.CompressionRatio), g.Average(x => x.c.Novelty), g.Sum(x => x.c.Alarms)))
            .ToListAsync(ct);
    }
}
