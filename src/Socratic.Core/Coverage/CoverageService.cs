// The coverage step over the database: measures the turns of one generation's finished episodes, for the whole
// generation and per game, against the campaign's earlier generations (novelty) and the previous generation's
// report (drops, drift), raises alarms and stores one CoverageReport per scope. Embeddings are optional (an
// embedder costs a model pass per text); without one, dispersion is left out rather than guessed.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Play;

namespace Socratic.Core.Coverage;

/// <summary>Embeds texts (e.g. through LLamaSharp); one vector per text, in order.</summary>
public delegate Task<IReadOnlyList<float[]>> Embedder(IReadOnlyList<string> texts, CancellationToken cancellationToken);

/// <summary>Embeds texts with a given model file (the in-process runtime implements it; a remote backend does not).</summary>
public interface ITextEmbedder
{
    Task<IReadOnlyList<float[]>> EmbedAsync(string modelPath, IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

public static class CoverageService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Most earlier-generation texts compared against for novelty (a seeded sample beyond this).</summary>
    public const int MaxReferenceTexts = 2000;

    public static async Task<IReadOnlyList<CoverageReport>> MeasureAsync(
        SocraticDbContext db, long generationId, CoverageThresholds thresholds, DateTimeOffset now, Embedder? embed, CancellationToken cancellationToken)
    {
        var generation = await db.Generations.AsNoTracking().FirstAsync(g => g.Id == generationId, cancellationToken);
        var texts = await TextsAsync(db, db.Runs.Where(r => r.GenerationId == generationId).Select(r => r.Id), cancellationToken);
        var earlierGenerations = db.Generations.Where(g => g.CampaignId == generation.CampaignId && g.Number < generation.Number).Select(g => g.Id);
        var earlier = await TextsAsync(db, db.Runs.Where(r => r.GenerationId != null && earlierGenerations.Contains(r.GenerationId.Value)).Select(r => r.Id), cancellationToken);
        var previousId = await db.Generations.Where(g => g.CampaignId == generation.CampaignId && g.Number < generation.Number)
            .OrderByDescending(g => g.Number).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellationToken);
        var previousReports = previousId is null
            ? []
            : await db.CoverageReports.AsNoTracking().Where(r => r.GenerationId == previousId).ToListAsync(cancellationToken);

        var reports = new List<CoverageReport>();
        var scopes = new List<(long? GameId, IReadOnlyList<string> Now, IReadOnlyList<string> Before)>
        {
            (null, [.. texts.Select(t => t.Text)], [.. Sample(earlier).Select(t => t.Text)]),
        };
        scopes.AddRange(texts.GroupBy(t => t.GameId).OrderBy(g => g.Key)
            .Select(g => ((long?)g.Key, (IReadOnlyList<string>)[.. g.Select(t => t.Text)], (IReadOnlyList<string>)[.. Sample(earlier.Where(e => e.GameId == g.Key)).Select(t => t.Text)])));
        foreach (var (gameId, current, before) in scopes)
        {
            var embeddings = embed is null || current.Count < 2 ? null : await embed(current, cancellationToken);
            var metrics = CoverageMetrics.Measure(current, before, embeddings, seed: (int)generationId);
            var previous = previousReports.FirstOrDefault(r => r.GameId == gameId) is { } p ? JsonSerializer.Deserialize<CoverageMetrics>(p.Metrics, Json) : null;
            var report = new CoverageReport
            {
                GenerationId = generationId,
                GameId = gameId,
                Metrics = JsonSerializer.Serialize(metrics, Json),
                Alarms = JsonSerializer.Serialize(CoverageAlarms.Evaluate(metrics, previous, thresholds), Json),
                CreatedAt = now,
            };
            reports.Add(report);
        }

        // Re-measuring a generation replaces its reports rather than piling up copies.
        await db.CoverageReports.Where(r => r.GenerationId == generationId).ExecuteDeleteAsync(cancellationToken);
        db.CoverageReports.AddRange(reports);
        await db.SaveChangesAsync(cancellationToken);
        return reports;
    }

    private static async Task<List<(long GameId, string Text)>> TextsAsync(SocraticDbContext db, IQueryable<long> runIds, CancellationToken cancellationToken) =>
        (await db.Turns.AsNoTracking()
            .Join(db.Episodes.Where(e => runIds.Contains(e.RunId) && e.Status == EpisodeStatus.Completed), t => t.EpisodeId, e => e.Id, (t, e) => new { t.Text, e.GameVersion.GameId, t.EpisodeId, t.Index })
            .OrderBy(x => x.EpisodeId).ThenBy(x => x.Index)
            .Select(x => new { x.GameId, x.Text })
            .ToListAsync(cancellationToken))
        .Select(x => (x.GameId, x.Text)).ToList();

    private static IEnumerable<(long GameId, string Text)> Sample(IEnumerable<(long GameId, string Text)> texts)
    {
        var list = texts.ToList();
        return list.Count <= MaxReferenceTexts ? list : list.Select((t, i) => (t, key: new Random(i).Next())).OrderBy(x => x.key).Take(MaxReferenceTexts).Select(x => x.t);
    }
}
