// Finds episodes for the Transcripts page: filters by game, game version, generation, policy and score range,
// and full-text search over turns through PostgreSQL (Turn.SearchVector, GIN-indexed, matched with
// websearch_to_tsquery so people can type "quoted phrases", or, -exclusions). One query per page plus a count.
// Generation is the playing policy's generation (base model = 0, adapter g = g); the score is the episode's
// mean over its scores, so episodes without scores fall outside any score range.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Web.Api;

namespace Socratic.Web.Transcripts;

public sealed record TranscriptFilter
{
    public long? GameId { get; init; }

    public long? GameVersionId { get; init; }

    public int? Generation { get; init; }

    public long? PolicyId { get; init; }

    public double? MinScore { get; init; }

    public double? MaxScore { get; init; }

    public string? Text { get; init; }

    public long? RunId { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}

public sealed record TranscriptRow(
    long Id, long RunId, int Ordinal, string Game, int GameVersion, string Policy, int Generation, string Status,
    double? MeanScore, int Tokens, long DurationMs, DateTimeOffset StartedAt, string? Preview);

public sealed record TranscriptPage(IReadOnlyList<TranscriptRow> Rows, int Total);

public sealed class TranscriptSearch(IDbContextFactory<SocraticDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public const string TextConfig = "english";

    public async Task<TranscriptPage> FindAsync(TranscriptFilter f, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (f.MinScore is { } lo && f.MaxScore is { } hi && lo > hi)
        {
            errors.Add(new("minScore", $"{lo} is above maxScore {hi}"));
        }

        if (f.PageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new("pageSize", $"must be between 1 and {MaxPageSize}"));
        }

        if (f.Page < 0)
        {
            errors.Add(new("page", "must be 0 or more"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var q = db.Episodes.AsNoTracking();
        if (f.RunId is { } runId)
        {
            q = q.Where(e => e.RunId == runId);
        }

        if (f.GameId is { } gameId)
        {
            q = q.Where(e => e.GameVersion.GameId == gameId);
        }

        if (f.GameVersionId is { } versionId)
        {
            q = q.Where(e => e.GameVersionId == versionId);
        }

        if (f.PolicyId is { } policyId)
        {
            q = q.Where(e => e.Run.PolicyId == policyId || e.Roles.Any(r => r.PolicyId == policyId));
        }

        if (f.Generation is { } generation)
        {
            q = q.Where(e => db.Policies.Any(p => p.Id == e.Run.PolicyId && p.Generation == generation));
        }

        if (f.MinScore is { } min)
        {
            q = q.Where(e => e.Scores.Any() && e.Scores.Average(s => s.Value) >= min);
        }

        if (f.MaxScore is { } max)
        {
            q = q.Where(e => e.Scores.Any() && e.Scores.Average(s => s.Value) <= max);
        }

        var text = f.Text?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            q = q.Where(e => db.Turns.Any(t => t.EpisodeId == e.Id && t.SearchVector.Matches(EF.Functions.WebSearchToTsQuery(TextConfig, text))));
        }

        var total = await q.CountAsync(cancellationToken);
        var rows = await q.OrderByDescending(e => e.Id).Skip(f.Page * f.PageSize).Take(f.PageSize).Select(e => new TranscriptRow(
            e.Id, e.RunId, e.Ordinal, e.GameVersion.Game.Name, e.GameVersion.Version,
            db.Policies.Where(p => p.Id == e.Run.PolicyId).Select(p => p.Name).First(),
            db.Policies.Where(p => p.Id == e.Run.PolicyId).Select(p => p.Generation).First(),
            e.Status.ToString(),
            e.Scores.Any() ? e.Scores.Average(s => s.Value) : null,
            e.PromptTokens + e.CompletionTokens, e.DurationMs, e.StartedAt,
            e.Turns.OrderBy(t => t.Index).Select(t => t.Text.Substring(0, 160)).FirstOrDefault())).ToListAsync(cancellationToken);
        return new TranscriptPage(rows, total);
    }
}
