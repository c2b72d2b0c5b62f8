// Scale-out: a worker-only process (another machine, in production) plays the run; a web-only process serves the
// hub. Token deltas must still reach the observer — they travel through PostgreSQL NOTIFY, not process memory.
using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Web.Live;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;

namespace Socratic.Web.Tests.Live;

[Collection(PostgresCollection.Name)]
public sealed class CrossProcessLiveTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Observer_on_a_web_only_host_receives_tokens_generated_by_a_worker_process()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "cross_process_live", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        var researcher = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(researcher, TestGames.Story("Cross process", maxTurns: 2, maxTokens: 32));
        await using var hub = await app.HubAsync(Roles.Observer);
        var deltas = new ConcurrentQueue<TokenDelta>();
        var completed = new ConcurrentQueue<TurnCompleted>();
        hub.On<TokenDelta>(nameof(TokenDelta), d => deltas.Enqueue(d));
        hub.On<TurnCompleted>(nameof(TurnCompleted), c => completed.Enqueue(c));
        var runId = await SelfPlayApiTests.StartRunAsync(researcher, new { gameId, episodes = 2, seed = 2 });
        await hub.InvokeAsync("WatchRun", runId);

        var settings = SocraticApp.BaseSettings(app.ConnectionString);
        settings["Socratic:Host:Mode"] = "Worker";
        using (var worker = WorkerProcess.Start(settings))
        {
            var run = await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));
            Assert.True(run.Status == RunStatus.Completed, worker.Output);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (completed.Count < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(4, completed.Count);
        foreach (var turn in completed)
        {
            var streamed = string.Concat(deltas.Where(d => d.EpisodeId == turn.EpisodeId && d.TurnIndex == turn.TurnIndex).OrderBy(d => d.Seq).Select(d => d.Text));
            Assert.Equal(turn.Text, streamed);
        }
    }
}
