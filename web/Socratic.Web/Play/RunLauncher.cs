// Starts self-play runs: validates the request, records the run and its games, enqueues the job on the
// self-play queue. Also cancels runs (the job notices within a second and stops its episodes).
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Web.Api;
using Socratic.Web.Hosting;
using Socratic.Web.Models;

namespace Socratic.Web.Play;

public sealed record StartRunRequest
{
    /// <summary>Play the latest version of this game.</summary>
    public long? GameId { get; init; }

    /// <summary>Or: these exact game versions, mixed by their games' weights.</summary>
    public IReadOnlyList<long>? GameVersionIds { get; init; }

    /// <summary>Null: the default model's policy.</summary>
    public long? PolicyId { get; init; }

    public long? OpponentPolicyId { get; init; }

    /// <summary>Frozen policies an <see cref="OpponentShare"/> of the episodes draw their "opponent" roles from.</summary>
    public IReadOnlyList<long>? OpponentPool { get; init; }

    public double OpponentShare { get; init; }

    /// <summary>Replaces every role's sampling temperature (0 = greedy); null keeps the game's.</summary>
    public double? Temperature { get; init; }

    public int Episodes { get; init; } = 1;

    public long? Seed { get; init; }

    public int? Concurrency { get; init; }
}

public sealed class RunLauncher(
    SocraticDbContext db, IBackgroundJobClient jobs, ModelCatalog models, IOptions<PlayOptions> options, TimeProvider time)
{
    /// <param name="generationId">Set by a campaign's self-play step: the run belongs to that generation.</param>
    public async Task<Run> StartAsync(StartRunRequest request, string actor, CancellationToken cancellationToken, long? generationId = null)
    {
        var errors = new List<FieldError>();
        var max = options.Value;
        if (request.Episodes < 1 || request.Episodes > max.MaxEpisodesPerRun)
        {
            errors.Add(new("episodes", $"must be between 1 and {max.MaxEpisodesPerRun}"));
        }

        if (request.Concurrency is { } k && (k < 1 || k > max.MaxConcurrency))
        {
            errors.Add(new("concurrency", $"must be between 1 and {max.MaxConcurrency}"));
        }

        var versions = new List<(long VersionId, double Weight)>();
        if (request.GameVersionIds is { Count: > 0 } ids)
        {
            var found = await db.GameVersions.Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.Game.Weight }).ToListAsync(cancellationToken);
            foreach (var missing in ids.Except(found.Select(f => f.Id)))
            {
                errors.Add(new("gameVersionIds", $"no game version {missing}"));
            }

            versions.AddRange(found.Select(f => (f.Id, f.Weight)));
        }
        else if (request.GameId is { } gameId)
        {
            var latest = await db.GameVersions.Where(v => v.GameId == gameId).OrderByDescending(v => v.Version).Select(v => new { v.Id, v.Game.Weight }).FirstOrDefaultAsync(cancellationToken);
            if (latest is null)
            {
                errors.Add(new("gameId", $"no game {gameId}"));
            }
            else
            {
                versions.Add((latest.Id, latest.Weight));
            }
        }
        else
        {
            errors.Add(new("gameId", "name a game (gameId) or game versions (gameVersionIds)"));
        }

        long policyId;
        if (request.PolicyId is { } pid)
        {
            policyId = pid;
            if (!await db.Policies.AnyAsync(p => p.Id == pid, cancellationToken))
            {
                errors.Add(new("policyId", $"no policy {pid}"));
            }
        }
        else
        {
            var policy = await models.EnsureDefaultPolicyAsync(db, cancellationToken);
            policyId = policy?.Id ?? 0;
            if (policy is null)
            {
                errors.Add(new("policyId", "no policy given and no default model configured (SOCRATIC_MODEL or a .gguf in the models folder)"));
            }
        }

        if (request.OpponentPolicyId is { } opp && !await db.Policies.AnyAsync(p => p.Id == opp, cancellationToken))
        {
            errors.Add(new("opponentPolicyId", $"no policy {opp}"));
        }

        var pool = request.OpponentPool?.Distinct().ToList() ?? [];
        var knownPool = await db.Policies.Where(p => pool.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        foreach (var missing in pool.Except(knownPool))
        {
            errors.Add(new("opponentPool", $"no policy {missing}"));
        }

        if (request.OpponentShare is < 0 or > 1 || double.IsNaN(request.OpponentShare))
        {
            errors.Add(new("opponentShare", "must be between 0 and 1"));
        }

        if (request.Temperature is { } t && (t is < 0 or > 5 || double.IsNaN(t)))
        {
            errors.Add(new("temperature", "must be between 0 and 5 (as a role's temperature)"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var run = new Run
        {
            GenerationId = generationId,
            PolicyId = policyId,
            OpponentPolicyId = request.OpponentPolicyId,
            OpponentPool = pool,
            OpponentShare = pool.Count > 0 ? request.OpponentShare : 0,
            Temperature = request.Temperature,
            EpisodeCount = request.Episodes,
            Concurrency = request.Concurrency ?? Math.Min(max.DefaultConcurrency, request.Episodes),
            Seed = request.Seed ?? Random.Shared.NextInt64(),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor,
            Games = [.. versions.DistinctBy(v => v.VersionId).Select(v => new RunGame { GameVersionId = v.VersionId, Weight = v.Weight })],
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        run.JobId = jobs.Enqueue<PlayRunJob>(PlayRunJob.Queue, j => j.RunAsync(run.Id, CancellationToken.None));
        db.AuditLog.Add(new AuditEntry { At = run.CreatedAt, Actor = actor, Action = "run.started", EntityType = "Run", EntityId = run.Id.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Asks the run to stop. Returns false when there is no such run.</summary>
    public async Task<bool> CancelAsync(long runId, string actor, CancellationToken cancellationToken)
    {
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return false;
        }

        if (run.Status is RunStatus.Queued or RunStatus.Running)
        {
            run.CancelRequested = true;
            if (run.Status == RunStatus.Queued && run.JobId is not null)
            {
                // Not started: it will see CancelRequested when (if) it starts; deleting the job makes that immediate.
                jobs.Delete(run.JobId);
                run.Status = RunStatus.Cancelled;
                run.CompletedAt = time.GetUtcNow();
            }

            db.AuditLog.Add(new AuditEntry { At = time.GetUtcNow(), Actor = actor, Action = "run.cancelled", EntityType = "Run", EntityId = run.Id.ToString() });
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }
}
