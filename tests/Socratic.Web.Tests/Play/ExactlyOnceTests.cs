// Exactly-once self-play: a job delivered twice stores each episode once, and a worker killed mid-episode
// (SIGKILL, a separate process) and replaced ends with one complete episode whose turns are neither lost nor
// duplicated — and equal to what an uninterrupted episode with the same seed produces.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Inference;
using Socratic.Web.Play;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Play;

[Collection(PostgresCollection.Name)]
public sealed class ExactlyOnceTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string?> WebOnly = new()
    {
        ["Socratic:Host:Mode"] = "Web",
        ["Inference:ContextSize"] = "2048",
    };

    [Fact]
    public async Task The_same_job_delivered_twice_at_once_stores_each_episode_and_turn_once()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "exactly_once_twice", WebOnly);
        var client = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(client, TestGames.Story("Twice", maxTurns: 3));
        var runId = await SelfPlayApiTests.StartRunAsync(client, new { gameId, episodes = 4, seed = 3, concurrency = 2 });

        // No worker runs in web mode: deliver the job ourselves, twice, concurrently (Hangfire is at-least-once).
        await Task.WhenAll(RunJobAsync(app, runId), RunJobAsync(app, runId));
        await RunJobAsync(app, runId); // and once more after it finished

        await using var db = app.Db();
        Assert.Equal(RunStatus.Completed, (await db.Runs.SingleAsync(r => r.Id == runId)).Status);
        var episodes = await db.Episodes.Where(e => e.RunId == runId).Include(e => e.Turns).Include(e => e.Scores).ToListAsync();
        Assert.Equal([0, 1, 2, 3], episodes.Select(e => e.Ordinal).Order());
        Assert.All(episodes, e =>
        {
            Assert.Equal(EpisodeStatus.Completed, e.Status);
            Assert.Equal([0, 1, 2], e.Turns.Select(t => t.Index).Order());
            Assert.Single(e.Scores);
        });
    }

    [Fact]
    public async Task A_worker_killed_mid_episode_and_restarted_ends_with_one_complete_episode_without_lost_or_duplicated_turns()
    {
        const int turns = 14;
        await using var app = await SocraticApp.StartAsync(postgres, "exactly_once_kill", WebOnly);
        var client = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(client, TestGames.Story("Killed", maxTurns: turns, maxTokens: 64));
        var runId = await SelfPlayApiTests.StartRunAsync(client, new { gameId, episodes = 1, seed = 99 });
        var settings = SocraticApp.BaseSettings(app.ConnectionString);
        settings["Socratic:Host:Mode"] = "Worker";
        settings["Inference:ContextSize"] = "2048";
        settings["Inference:Threads"] = "1";

        int storedAtKill;
        using (var first = WorkerProcess.Start(settings))
        {
            storedAtKill = await WaitForTurnsAsync(app, runId, atLeast: 2, first);
            first.Kill();
        }

        await using (var db = app.Db())
        {
            var episode = await db.Episodes.SingleAsync(e => e.RunId == runId);
            Assert.NotEqual(EpisodeStatus.Completed, episode.Status);
            Assert.InRange(await db.Turns.CountAsync(t => t.EpisodeId == episode.Id), storedAtKill, turns - 1);
        }

        using (var second = WorkerProcess.Start(settings))
        {
            var run = await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
            Assert.True(run.Status == RunStatus.Completed, second.Output);
        }

        await using var check = app.Db();
        var done = await check.Episodes.Include(e => e.Turns).Include(e => e.Scores).SingleAsync(e => e.RunId == runId);
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(Enumerable.Range(0, turns), done.Turns.Select(t => t.Index).Order());
        Assert.Single(done.Scores);

        // The resumed transcript is the one an uninterrupted episode with the same seed would have produced (same
        // inference settings as the worker: llama.cpp sums in a different order with another thread count).
        var version = await check.GameVersions.SingleAsync(v => v.Id == done.GameVersionId);
        var game = GameJson.Parse(version.Definition);
        var task = System.Text.Json.JsonSerializer.Deserialize<GameTask>(done.Task)!;
        await using var provider = new LlamaPolicyProvider(new InferenceOptions { ContextSize = 2048, MaxSequences = 8, Threads = 1 });
        var policyId = (await check.Runs.SingleAsync(r => r.Id == runId)).PolicyId;
        var spec = (await check.Policies.SingleAsync(p => p.Id == policyId)).ToSpec();
        var replay = await new GameEngine(provider, new ScorerFactory()).PlayAsync(
            new EpisodePlan(game, task, game.Roles.ToDictionary(r => r.Name, _ => spec), unchecked((ulong)done.Seed)), null, CancellationToken.None);
        Assert.Equal(replay.Turns.Select(t => t.Text), done.Turns.OrderBy(t => t.Index).Select(t => t.Text));
    }

    private static async Task RunJobAsync(SocraticApp app, long runId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PlayRunJob>().RunAsync(runId, CancellationToken.None);
    }

    private static async Task<int> WaitForTurnsAsync(SocraticApp app, long runId, int atLeast, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(worker.HasExited, worker.Output);
            await using var db = app.Db();
            var count = await db.Turns.CountAsync(t => db.Episodes.Any(e => e.Id == t.EpisodeId && e.RunId == runId));
            if (count >= atLeast)
            {
                return count;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The worker stored no turns in time:\n" + worker.Output);
    }
}
