// The SignalR hub observers connect to. It only lets clients subscribe: every message flows server → client.
// Watching an episode returns the transcript so far (stored turns plus the partial turn), so a late joiner
// continues from there with the events that follow (those with a larger Seq).
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Web.Auth;

namespace Socratic.Web.Live;

public sealed record TranscriptTurn(int Index, string Role, string Text, int CompletionTokens, int DurationMs);

public sealed record EpisodeSnapshot(
    long EpisodeId, long RunId, string Status, IReadOnlyList<TranscriptTurn> Turns, PartialTurn? Partial, IReadOnlyList<ScoreView> Scores);

[Authorize(Policy = Policies.Watch)]
public sealed class PlayHub(IDbContextFactory<SocraticDbContext> dbFactory, LiveState state) : Hub
{
    public const string Path = "/hubs/play";

    public static string EpisodeGroup(long id) => $"episode:{id}";

    public static string RunGroup(long id) => $"run:{id}";

    public static string TrainingGroup(long id) => $"training:{id}";

    public async Task<EpisodeSnapshot> WatchEpisode(long episodeId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var episode = await db.Episodes.AsNoTracking().FirstOrDefaultAsync(e => e.Id == episodeId, Context.ConnectionAborted)
            ?? throw new HubException($"Episode {episodeId} does not exist or you may not watch it.");

        // Join first, then read: an event racing the snapshot is then received and can be dropped by Seq.
        await Groups.AddToGroupAsync(Context.ConnectionId, EpisodeGroup(episodeId), Context.ConnectionAborted);
        var partial = state.Partial(episodeId);
        var turns = await db.Turns.AsNoTracking().Where(t => t.EpisodeId == episodeId).OrderBy(t => t.Index)
            .Select(t => new TranscriptTurn(t.Index, t.Role, t.Text, t.CompletionTokens, t.DurationMs)).ToListAsync(Context.ConnectionAborted);
        var scores = await db.Scores.AsNoTracking().Where(s => s.EpisodeId == episodeId)
            .Select(s => new ScoreView(s.Role, s.Scorer, s.Kind, s.Value, s.Grounded)).ToListAsync(Context.ConnectionAborted);
        if (partial is not null && partial.TurnIndex < turns.Count)
        {
            partial = null;
        }

        return new EpisodeSnapshot(episode.Id, episode.RunId, episode.Status.ToString(), turns, partial, scores);
    }

    public Task UnwatchEpisode(long episodeId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, EpisodeGroup(episodeId));

    public async Task WatchRun(long runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, Context.ConnectionAborted))
        {
            throw new HubException($"Run {runId} does not exist or you may not watch it.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId), Context.ConnectionAborted);
    }

    public Task UnwatchRun(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));

    public async Task WatchTraining(long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        if (!await db.TrainingRuns.AnyAsync(r => r.Id == id, Context.ConnectionAborted))
        {
            throw new HubException($"Training run {id} does not exist or you may not watch it.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, TrainingGroup(id), Context.ConnectionAborted);
    }

    public Task UnwatchTraining(long id) => Groups.RemoveFromGroupAsync(Context.ConnectionId, TrainingGroup(id));
}
