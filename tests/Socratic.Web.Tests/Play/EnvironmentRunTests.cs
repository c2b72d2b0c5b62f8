// An environment game (the shipped TicTacToe) played by a run on real parts — API, Hangfire, PostgreSQL,
// LLamaSharp — with one role on the run's opponent policy (a different model, as a frozen earlier generation
// would be). The rules' outcome reaches storage: the end reason on the episode, and every role's grounded
// score with the rejected moves in its details (the Turns table has no details column).
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Play;

[Collection(PostgresCollection.Name)]
public sealed class EnvironmentRunTests(PostgresFixture postgres) : IAsyncLifetime
{
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "environment_runs");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_run_plays_an_environment_game_against_the_opponent_policy_and_stores_the_rules_outcome()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var shipped = GameValidator.Load(await File.ReadAllTextAsync(Path.Combine(Core.Tests.TestModels.GamesDirectory, "tictactoe.json")));
        var game = shipped with
        {
            // The opponent moves first here, so its model is the one whose replies are ruled on.
            Roles = [.. shipped.Roles.Select(r => r with { Policy = r.Name == "x" ? "opponent" : "self", Sampling = r.Sampling with { MaxTokens = 12 } })],
        };
        var gameId = await SelfPlayApiTests.CreateGameAsync(client, GameJson.Serialize(game));
        var opponent = await client.PostAsJsonAsync("/api/policies", new { name = "frozen-random", baseModelPath = Core.Tests.TestModels.TinyRandomLlama, chatTemplate = "chatml" });
        var opponentId = (await opponent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var runId = await SelfPlayApiTests.StartRunAsync(client, new { gameId, opponentPolicyId = opponentId, episodes = 2, seed = 5 });
        var run = await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal(RunStatus.Completed, run.Status);
        await using var db = _app.Db();
        var episodes = await db.Episodes.Include(e => e.Turns).Include(e => e.Scores).Include(e => e.Roles).Where(e => e.RunId == runId).ToListAsync();
        Assert.Equal(2, episodes.Count);
        Assert.All(episodes, e =>
        {
            Assert.Equal(opponentId, e.Roles.Single(r => r.Role == "x").PolicyId);
            Assert.Equal(run.PolicyId, e.Roles.Single(r => r.Role == "o").PolicyId);
            Assert.Matches("^(forfeit|game_over):", e.EndReason);
            Assert.Equal("x", e.Turns.OrderBy(t => t.Index).First().Role);
            Assert.Equal(["o", "x"], e.Scores.Select(s => s.Role).Order(StringComparer.Ordinal));
            foreach (var score in e.Scores)
            {
                Assert.True(score.Grounded);
                Assert.Equal("environment", score.Kind);
                var details = JsonNode.Parse(score.Details)!;
                Assert.Equal(e.EndReason, (string?)details["endReason"]);
                var rejected = details["invalidMoves"]!.AsArray().Select(m => (int)m!["turn"]!).ToList();
                Assert.All(rejected, i => Assert.Contains(e.Turns, t => t.Index == i));
                if (e.EndReason!.StartsWith("forfeit:", StringComparison.Ordinal))
                {
                    Assert.Equal(2, rejected.Count(i => i >= e.Turns.Count - 2)); // the last two replies, then the forfeit
                }
            }
        });
    }
}
