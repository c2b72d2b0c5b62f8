// HTTP API for runs and episodes: start and cancel runs, follow progress, list episodes, read transcripts.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Play;

public static class PlayEndpoints
{
    public static void MapPlayEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").AddEndpointFilter<ValidationExceptionFilter>();

        runs.MapPost("/", async (HttpRequest request, HttpContext http, RunLauncher launcher, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<StartRunRequest>(request, ct);
            var run = await launcher.StartAsync(body, http.User.Identity?.Name ?? "unknown", ct);
            return Results.Accepted($"/api/runs/{run.Id}", new { run.Id, run.EpisodeCount, run.Seed, run.Concurrency, Status = run.Status.ToString() });
        }).RequireAuthorization(Policies.Author).RequireRateLimiting(Auth.AuthSetup.RunLimiter);

        runs.MapGet("/", async (SocraticDbContext db, CancellationToken ct) =>
            await RunViews(db.Runs.OrderByDescending(r => r.Id).Take(200)).ToListAsync(ct))
            .RequireAuthorization(Policies.Watch);

        runs.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await RunViews(db.Runs.Where(r => r.Id == id)).FirstOrDefaultAsync(ct) is { } run
                ? Results.Ok(run)
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        runs.MapPost("/{id:long}/cancel", async (long id, HttpContext http, RunLauncher launcher, CancellationToken ct) =>
            await launcher.CancelAsync(id, http.User.Identity?.Name ?? "unknown", ct) ? Results.Accepted() : Results.NotFound())
            .RequireAuthorization(Policies.Author);

        var episodes = app.MapGroup("/api/episodes");
        episodes.MapGet("/", async (long? runId, long? gameId, string? status, int? limit, SocraticDbContext db, CancellationToken ct) =>
        {
            var q = db.Episodes.AsNoTracking().AsQueryable();
            if (runId is { } r)
            {
                q = q.Where(e => e.RunId == r);
            }

            if (gameId is { } g)
            {
                q = q.Where(e => e.GameVersion.GameId == g);
            }

            if (status is not null)
            {
                if (!Enum.TryParse<EpisodeStatus>(status, ignoreCase: true, out var s))
                {
                    return ApiErrors.BadRequest([new("status", $"unknown status '{status}'; known: {string.Join(", ", Enum.GetNames<EpisodeStatus>())}")]);
                }

                q = q.Where(e => e.Status == s);
            }

            var rows = await q.OrderByDescending(e => e.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).Select(e => new
            {
                e.Id, e.RunId, e.Ordinal, e.GameVersionId, Game = e.GameVersion.Game.Name, e.TaskId, Status = e.Status.ToString(),
                e.Attempts, e.PromptTokens, e.CompletionTokens, e.DurationMs, e.StartedAt, e.CompletedAt, e.EndReason,
                Scores = e.Scores.Select(s => new { s.Role, s.Scorer, s.Value, s.Grounded }),
            }).ToListAsync(ct);
            return Results.Ok(rows);
        }).RequireAuthorization(Policies.Watch);

        episodes.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
        {
            var e = await db.Episodes.AsNoTracking()
                .Include(x => x.Turns.OrderBy(t => t.Index)).Include(x => x.Scores).Include(x => x.Roles).Include(x => x.GameVersion).ThenInclude(v => v.Game)
                .FirstOrDefaultAsync(x => x.Id == id, ct);
            return e is null ? Results.NotFound() : Results.Ok(new
            {
                e.Id, e.RunId, e.Ordinal, Game = e.GameVersion.Game.Name, GameVersion = e.GameVersion.Version, e.TaskId,
                Task = System.Text.Json.Nodes.JsonNode.Parse(e.Task), e.Seed, Status = e.Status.ToString(), e.Attempts, e.EndReason, e.Error,
                e.PromptTokens, e.CompletionTokens, e.DurationMs, e.StartedAt, e.CompletedAt,
                Roles = e.Roles.Select(r => new { r.Role, r.PolicyId }),
                Turns = e.Turns.Select(t => new { t.Index, t.Role, t.Text, t.PromptTokens, t.CompletionTokens, t.DurationMs, t.TimeToFirstTokenMs, t.FinishReason }),
                Scores = e.Scores.Select(s => new { s.Role, s.Scorer, s.Kind, s.Value, s.Grounded, Details = System.Text.Json.Nodes.JsonNode.Parse(s.Details) }),
            });
        }).RequireAuthorization(Policies.Watch);
    }

    public sealed record RunSummary(
        long Id, string Status, int EpisodeCount, int Concurrency, long Seed, long PolicyId, long? OpponentPolicyId,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, string? Error, bool CancelRequested, string? CreatedBy,
        int Completed, int Failed, IEnumerable<long> GameVersionIds)
    {
        /// <summary>Sampling temperature replacing every role's own; null: the game's.</summary>
        public double? Temperature { get; init; }

        public IEnumerable<long> OpponentPool { get; init; } = [];

        public double OpponentShare { get; init; }
    }

    // One SQL query: counts and game versions are subqueries, not a query per run.
    private static IQueryable<RunSummary> RunViews(IQueryable<Run> runs) => runs.AsNoTracking().Select(r => new RunSummary(
        r.Id, r.Status.ToString(), r.EpisodeCount, r.Concurrency, r.Seed, r.PolicyId, r.OpponentPolicyId, r.CreatedAt, r.StartedAt, r.CompletedAt,
        r.Error, r.CancelRequested, r.CreatedBy,
        r.Episodes.Count(e => e.Status == EpisodeStatus.Completed),
        r.Episodes.Count(e => e.Status == EpisodeStatus.Failed),
        r.Games.Select(g => g.GameVersionId).ToList())
    {
        Temperature = r.Temperature, OpponentPool = r.OpponentPool, OpponentShare = r.OpponentShare,
    });
}
