// Live observation over SignalR: an observer receives token deltas as they are generated, turn boundaries and
// the final score; a late joiner gets the transcript so far and continues from it without gaps.
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Web.Live;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;

namespace Socratic.Web.Tests.Live;

[Collection(PostgresCollection.Name)]
public sealed class LiveStreamingTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string?> LongContext = new() { ["Inference:ContextSize"] = "2048", ["Inference:Threads"] = "1" };

    [Fact]
    public async Task Observer_receives_token_deltas_turn_boundaries_and_the_final_score()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "live_observer", LongContext);
        var researcher = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(researcher, TestGames.Story("Live", maxTurns: 3, maxTokens: 32));
        await using var hub = await app.HubAsync(Roles.Observer);
        var events = new ConcurrentQueue<(string Kind, JsonElement Body)>();
        foreach (var kind in new[] { nameof(TurnStarted), nameof(TokenDelta), nameof(TurnCompleted), nameof(EpisodeScored) })
        {
            hub.On<JsonElement>(kind, body => events.Enqueue((kind, body)));
        }

        // Subscribe before the run exists in the queue's eyes: the job needs at least one poll to start.
        var runId = await SelfPlayApiTests.StartRunAsync(researcher, new { gameId, episodes = 1, seed = 5 });
        await hub.InvokeAsync("WatchRun", runId);
        await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));
        await WaitUntilAsync(() => events.Any(e => e.Kind == nameof(EpisodeScored)));

        await using var db = app.Db();
        var episode = await db.Episodes.Include(e => e.Turns).Include(e => e.Scores).SingleAsync(e => e.RunId == runId);
        var list = events.ToList();
        var deltas = list.Where(e => e.Kind == nameof(TokenDelta)).ToList();
        Assert.True(deltas.Count >= 3, $"expected several token deltas, got {deltas.Count}");
        foreach (var turn in episode.Turns)
        {
            var streamed = string.Concat(deltas.Where(d => d.Body.GetProperty("turnIndex").GetInt32() == turn.Index).Select(d => d.Body.GetProperty("text").GetString()));
            Assert.Equal(turn.Text, streamed);
        }

        Assert.Equal(episode.Turns.Count, list.Count(e => e.Kind == nameof(TurnCompleted)));
        var seqs = list.Where(e => e.Body.TryGetProperty("seq", out _)).Select(e => e.Body.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.Order(), seqs);
        var scored = list.Single(e => e.Kind == nameof(EpisodeScored)).Body.GetProperty("scores")[0];
        Assert.Equal(Assert.Single(episode.Scores).Value, scored.GetProperty("value").GetDouble());
        Assert.True(list.FindIndex(e => e.Kind == nameof(TokenDelta)) < list.FindIndex(e => e.Kind == nameof(EpisodeScored)));
    }

    [Fact]
    public async Task Late_joiner_gets_the_transcript_so_far_and_continues_without_gaps()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "live_late_joiner", LongContext);
        var researcher = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(researcher, TestGames.Story("Late", maxTurns: 14, maxTokens: 64));
        var runId = await SelfPlayApiTests.StartRunAsync(researcher, new { gameId, episodes = 1, seed = 8 });

        long episodeId = 0;
        await WaitUntilAsync(() =>
        {
            using var db = app.Db();
            var e = db.Episodes.FirstOrDefault(x => x.RunId == runId);
            episodeId = e?.Id ?? 0;
            return e is not null && db.Turns.Count(t => t.EpisodeId == e.Id) >= 2;
        });

        await using var hub = await app.HubAsync(Roles.Observer);
        var deltas = new ConcurrentQueue<TokenDelta>();
        var completed = new ConcurrentQueue<TurnCompleted>();
        hub.On<TokenDelta>(nameof(TokenDelta), d => deltas.Enqueue(d));
        hub.On<TurnCompleted>(nameof(TurnCompleted), c => completed.Enqueue(c));
        var snapshot = await hub.InvokeAsync<EpisodeSnapshot>("WatchEpisode", episodeId);
        await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
        await WaitUntilAsync(() => completed.Any(c => c.TurnIndex == 13));

        Assert.True(snapshot.Turns.Count >= 2, "the snapshot holds the turns stored before joining");
        await using var check = app.Db();
        var stored = await check.Turns.Where(t => t.EpisodeId == episodeId).OrderBy(t => t.Index).ToListAsync();
        Assert.Equal(stored.Take(snapshot.Turns.Count).Select(t => t.Text), snapshot.Turns.Select(t => t.Text));

        // Rebuild every later turn from the snapshot's partial text plus the deltas that came after it.
        var afterSeq = snapshot.Partial?.Seq ?? 0;
        foreach (var turn in stored.Skip(snapshot.Turns.Count))
        {
            var prefix = snapshot.Partial?.TurnIndex == turn.Index ? snapshot.Partial.Text : "";
            var rest = string.Concat(deltas.Where(d => d.TurnIndex == turn.Index && d.Seq > afterSeq).OrderBy(d => d.Seq).Select(d => d.Text));
            Assert.Equal(turn.Text, prefix + rest);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(20);
        }
    }
}
