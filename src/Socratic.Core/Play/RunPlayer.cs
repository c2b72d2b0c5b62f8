// Plays a stored run: its episodes, Concurrency at a time (the policy runtime batches their turns), storing
// each turn as it finishes. Playing a run again is safe — the Hangfire job and `socratic play` both rely on it:
// completed episodes are skipped and interrupted ones resume after their last stored turn (see EpisodeStore).
// A user's cancel ends the run; a cancellation of the caller's token (worker shutdown) leaves it resumable.
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;

namespace Socratic.Core.Play;

public sealed class RunPlayer(
    IDbContextFactory<SocraticDbContext> dbFactory,
    IPolicyProvider policies,
    ITaskSourceFactory taskSources,
    GameEngine engine,
    EpisodeStore store,
    TimeProvider time,
    ILogger<RunPlayer> logger)
{
    public async Task PlayAsync(long runId, IRunEvents events, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Include(r => r.Games).ThenInclude(g => g.GameVersion).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed)
        {
            return;
        }

        if (run.CancelRequested)
        {
            await FinishAsync(db, run, RunStatus.Cancelled, null, events, cancellationToken);
            return;
        }

        var main = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == run.PolicyId, cancellationToken);
        var opponentIds = run.OpponentPool.Append(run.OpponentPolicyId ?? run.PolicyId).Append(run.PolicyId).Distinct().ToList();
        var opponents = await db.Policies.AsNoTracking().Where(p => opponentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        // Load models before writing anything: a bad model fails the run with a clear reason and no half-made episodes.
        try
        {
            await policies.GetAsync(main.ToSpec(), cancellationToken);
            foreach (var opponent in opponents.Values.Where(p => p.Id != main.Id))
            {
                await policies.GetAsync(opponent.ToSpec(), cancellationToken);
            }
        }
        catch (Exception e) when (e is ModelLoadException or FileNotFoundException)
        {
            await FinishAsync(db, run, RunStatus.Failed, e.Message, events, cancellationToken);
            return;
        }

        var games = run.Games.ToDictionary(g => g.GameVersionId, g => GameJson.Parse(g.GameVersion.Definition));
        var versionIds = games.Keys.ToArray();
        await db.GameVersions.Where(v => versionIds.Contains(v.Id) && !v.Locked).ExecuteUpdateAsync(s => s.SetProperty(v => v.Locked, true), cancellationToken);

        run.Status = RunStatus.Running;
        run.StartedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await PublishProgressAsync(db, run, events, cancellationToken);

        var done = await db.Episodes.Where(e => e.RunId == runId && e.Status == EpisodeStatus.Completed).Select(e => e.Ordinal).ToListAsync(cancellationToken);
        var pending = Enumerable.Range(0, run.EpisodeCount).Except(done).ToList();
        var sources = games.ToDictionary(g => g.Key, g => taskSources.Create(g.Value.Tasks!));
        var context = new RunContext(run, main, opponents, games, sources, events);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchForCancelAsync(runId, cancel);
        try
        {
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.Concurrency), CancellationToken = cancel.Token },
                async (ordinal, ct) => await PlayEpisodeAsync(context, ordinal, ct));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The user cancelled: episodes in progress end as Cancelled, the run too.
            await db.Episodes.Where(e => e.RunId == runId && e.Status == EpisodeStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EpisodeStatus.Cancelled), CancellationToken.None);
            await db.Entry(run).ReloadAsync(CancellationToken.None);
            await FinishAsync(db, run, RunStatus.Cancelled, null, events, CancellationToken.None);
            return;
        }
        finally
        {
            await cancel.CancelAsync();
            await watcher;
        }

        await db.Entry(run).ReloadAsync(cancellationToken);
        var failed = await db.Episodes.Where(e => e.RunId == runId && e.Status == EpisodeStatus.Failed).Select(e => e.Error).ToListAsync(cancellationToken);
        var completed = await db.Episodes.CountAsync(e => e.RunId == runId && e.Status == EpisodeStatus.Completed, cancellationToken);
        if (completed == run.EpisodeCount)
        {
            await FinishAsync(db, run, RunStatus.Completed, null, events, cancellationToken);
        }
        else
        {
            await FinishAsync(db, run, RunStatus.Failed, $"{failed.Count} of {run.EpisodeCount} episodes failed. First error: {failed.FirstOrDefault()}", events, cancellationToken);
        }
    }

    private sealed record RunContext(
        Run Run, Policy Main, IReadOnlyDictionary<long, Policy> Opponents, IReadOnlyDictionary<long, GameDefinition> Games,
        IReadOnlyDictionary<long, ITaskSource> Sources, IRunEvents Events);

    private async Task PlayEpisodeAsync(RunContext c, int ordinal, CancellationToken cancellationToken)
    {
        var runSeed = unchecked((ulong)c.Run.Seed);
        var versionId = PickGame(c.Run, runSeed, ordinal);
        var game = c.Games[versionId];
        var seed = Seeds.Episode(runSeed, ordinal);
        var task = c.Sources[versionId].Draw(ordinal, seed);
        var opponent = c.Opponents[PickOpponent(c.Run, runSeed, ordinal)];
        var rolePolicies = game.Roles.ToDictionary(r => r.Name, r => r.Policy == "opponent" ? opponent : c.Main);

        var row = await store.BeginAsync(c.Run.Id, ordinal, versionId, task, seed, rolePolicies.ToDictionary(p => p.Key, p => p.Value.Id), cancellationToken);
        if (row.Status == nameof(EpisodeStatus.Completed))
        {
            return;
        }

        var completedTurns = await store.LoadTurnsAsync(row.Id, cancellationToken);
        var episodeEvents = c.Events.Episode(c.Run.Id, row.Id, ordinal, row.Attempts);
        episodeEvents.Started();
        var plan = new EpisodePlan(game, task, rolePolicies.ToDictionary(p => p.Key, p => p.Value.ToSpec()), seed)
        {
            CompletedTurns = completedTurns, Temperature = (float?)c.Run.Temperature,
        };
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await engine.PlayAsync(plan, new StoringObserver(store, row.Id, episodeEvents), cancellationToken);
            await store.CompleteAsync(row.Id, result, clock.Elapsed, cancellationToken);
            episodeEvents.Finished(EpisodeStatus.Completed, result, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Episode {Ordinal} of run {RunId} failed.", ordinal, c.Run.Id);
            await store.MarkAsync(row.Id, EpisodeStatus.Failed, e.Message, CancellationToken.None);
            episodeEvents.Finished(EpisodeStatus.Failed, null, e.Message);
        }

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await PublishProgressAsync(db, c.Run, c.Events, CancellationToken.None);
    }

    /// <summary>Picks the game of episode <paramref name="ordinal"/> by weight, deterministically from the run seed.</summary>
    internal static long PickGame(Run run, ulong runSeed, int ordinal)
    {
        var games = run.Games.OrderBy(g => g.GameVersionId).ToList();
        if (games.Count == 1)
        {
            return games[0].GameVersionId;
        }

        var total = games.Sum(g => Math.Max(0, g.Weight));
        var u = (Seeds.Combine(runSeed, -1 - ordinal) >> 11) * (1.0 / (1UL << 53)) * total;
        foreach (var g in games)
        {
            u -= Math.Max(0, g.Weight);
            if (u < 0)
            {
                return g.GameVersionId;
            }
        }

        return games[^1].GameVersionId;
    }

    /// <summary>
    /// The policy of episode <paramref name="ordinal"/>'s "opponent" roles, deterministically from the run seed: with an
    /// opponent pool, an OpponentShare of the episodes draw one pool policy uniformly; the other episodes (all of them
    /// without a pool) give them to OpponentPolicyId, or to the run's own policy when that is not set.
    /// </summary>
    internal static long PickOpponent(Run run, ulong runSeed, int ordinal)
    {
        var draw = Seeds.Combine(runSeed, -1_000_000_007L - ordinal);
        if (run.OpponentPool.Count == 0 || (draw >> 11) * (1.0 / (1UL << 53)) >= run.OpponentShare)
        {
            return run.OpponentPolicyId ?? run.PolicyId;
        }

        var pool = run.OpponentPool.Order().ToList();
        return pool[(int)(Seeds.Mix(draw) % (ulong)pool.Count)];
    }

    private async Task WatchForCancelAsync(long runId, CancellationTokenSource cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token);
                await using var db = await dbFactory.CreateDbContextAsync(cancel.Token);
                if (await db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).FirstAsync(cancel.Token))
                {
                    await cancel.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FinishAsync(SocraticDbContext db, Run run, RunStatus status, string? error, IRunEvents events, CancellationToken cancellationToken)
    {
        run.Status = status;
        run.Error = error;
        run.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await PublishProgressAsync(db, run, events, cancellationToken);
    }

    private static async Task PublishProgressAsync(SocraticDbContext db, Run run, IRunEvents events, CancellationToken cancellationToken)
    {
        var counts = await db.Episodes.Where(e => e.RunId == run.Id).GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var completed = counts.FirstOrDefault(c => c.Key == EpisodeStatus.Completed)?.Count ?? 0;
        var failed = counts.FirstOrDefault(c => c.Key == EpisodeStatus.Failed)?.Count ?? 0;
        var status = await db.Runs.Where(r => r.Id == run.Id).Select(r => r.Status).FirstAsync(cancellationToken);
        events.Progress(run.Id, status, completed, failed, run.EpisodeCount, run.Error);
    }

    /// <summary>Stores each finished turn before anyone hears of it, so whatever an observer saw complete is in the database.</summary>
    private sealed class StoringObserver(EpisodeStore store, long episodeId, IEpisodeEvents inner) : IEpisodeObserver
    {
        public ValueTask TurnStartedAsync(int index, string role, CancellationToken cancellationToken) => inner.TurnStartedAsync(index, role, cancellationToken);

        public void Token(int index, string piece) => inner.Token(index, piece);

        public async ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken)
        {
            await store.SaveTurnAsync(episodeId, turn, cancellationToken);
            await inner.TurnCompletedAsync(turn, cancellationToken);
        }

        // Scores are reported through Finished, once committed with the episode.
        public ValueTask ScoredAsync(IReadOnlyList<Scoring.ScoreResult> scores, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
