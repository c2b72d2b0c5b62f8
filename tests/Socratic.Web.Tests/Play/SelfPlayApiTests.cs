// End to end through the API on real parts: PostgreSQL, Hangfire on its PostgreSQL storage, LLamaSharp with
// stories260K. Create a game, start a run, and find every episode, turn and score stored.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Play;

[Collection(PostgresCollection.Name)]
public sealed class SelfPlayApiTests(PostgresFixture postgres) : IAsyncLifetime
{
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "selfplay_api");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    internal static async Task<long> CreateGameAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/games", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("gameId").GetInt64();
    }

    internal static async Task<long> StartRunAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/runs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Created_game_played_by_a_run_stores_every_episode_turn_and_score()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var gameId = await CreateGameAsync(client, TestGames.Story());

        var runId = await StartRunAsync(client, new { gameId, episodes = 3, seed = 11, concurrency = 3 });
        var run = await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal(RunStatus.Completed, run.Status);
        await using var db = _app.Db();
        var episodes = await db.Episodes.Include(e => e.Turns).Include(e => e.Scores).Include(e => e.Roles)
            .Where(e => e.RunId == runId).OrderBy(e => e.Ordinal).ToListAsync();
        Assert.Equal([0, 1, 2], episodes.Select(e => e.Ordinal));
        Assert.All(episodes, e =>
        {
            Assert.Equal(EpisodeStatus.Completed, e.Status);
            Assert.Equal([0, 1], e.Turns.OrderBy(t => t.Index).Select(t => t.Index));
            Assert.All(e.Turns, t => Assert.False(string.IsNullOrWhiteSpace(t.Text)));
            Assert.Equal(e.Turns.Sum(t => t.CompletionTokens), e.CompletionTokens);
            var score = Assert.Single(e.Scores);
            var hero = JsonDocument.Parse(e.Task).RootElement.GetProperty("Answer").GetString()!;
            var last = e.Turns.MaxBy(t => t.Index)!.Text;
            Assert.Equal(last.Contains(hero, StringComparison.OrdinalIgnoreCase) ? 1.0 : 0.0, score.Value);
            Assert.True(score.Grounded);
            Assert.Equal(run.PolicyId, Assert.Single(e.Roles).PolicyId);
        });

        // The game version that was played is now locked: editing the game makes version 2.
        var edited = TestGames.Story() .Replace("A teller continues", "A storyteller continues", StringComparison.Ordinal);
        var put = await client.PutAsync($"/api/games/{gameId}", new StringContent(edited, Encoding.UTF8, "application/json"));
        using var saved = JsonDocument.Parse(await put.Content.ReadAsStringAsync());
        Assert.Equal(2, saved.RootElement.GetProperty("version").GetInt32());

        // The API reports the run's progress and games.
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        Assert.Equal(3, view.GetProperty("completed").GetInt32());
        Assert.Equal(episodes[0].GameVersionId, Assert.Single(view.GetProperty("gameVersionIds").EnumerateArray()).GetInt64());

        // The API serves the transcript.
        var transcript = await client.GetFromJsonAsync<JsonElement>($"/api/episodes/{episodes[0].Id}");
        Assert.Equal(2, transcript.GetProperty("turns").GetArrayLength());
        Assert.Equal(episodes[0].Turns.OrderBy(t => t.Index).First().Text, transcript.GetProperty("turns")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Uploaded_csv_tasks_become_a_list_game_that_plays_on_them()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        const string csv = "prompt,answer\n\"Once upon a time, there was a dog named Max.\",Max\n\"Sue had a red ball, and she loved it.\",Sue\n";

        var parsed = await client.PostAsync("/api/tasks/parse?format=csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var items = (await parsed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        var game = JsonNode(TestGames.Story("Uploaded tasks"));
        game["tasks"]!["items"] = System.Text.Json.Nodes.JsonNode.Parse(items.GetRawText());
        var gameId = await CreateGameAsync(client, game.ToJsonString());
        var runId = await StartRunAsync(client, new { gameId, episodes = 2, seed = 1 });
        await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.OK, parsed.StatusCode);
        Assert.Equal(["Max", "Sue"], items.EnumerateArray().Select(i => i.GetProperty("answer").GetString()));
        await using var db = _app.Db();
        var prompts = await db.Episodes.Where(e => e.RunId == runId).Select(e => e.Task).ToListAsync();
        Assert.All(prompts, p => Assert.True(p.Contains("Max", StringComparison.Ordinal) || p.Contains("Sue", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Uploaded_jsonl_with_a_bad_line_gets_a_400_naming_the_line()
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var response = await client.PostAsync("/api/tasks/parse?fileName=tasks.jsonl",
            new StringContent("{\"prompt\":\"a\",\"answer\":\"1\"}\n{not json\n", Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;

    [Fact]
    public async Task Invalid_game_is_rejected_with_a_400_naming_the_field_and_nothing_is_stored()
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var malformed = await client.PostAsync("/api/games", new StringContent("""{ "name": "x", "roles": [ { "name": 3 } ] }""", Encoding.UTF8, "application/json"));
        var semantic = await client.PostAsync("/api/games", new StringContent(
            TestGames.Story("Bad order").Replace("\"maxTurns\": 2", "\"maxTurns\": 2, \"turnOrder\": [\"ghost\"]", StringComparison.Ordinal),
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("roles[0].name", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, semantic.StatusCode);
        var body = await semantic.Content.ReadAsStringAsync();
        Assert.Contains("turnOrder", body, StringComparison.Ordinal);
        Assert.Contains("ghost", body, StringComparison.Ordinal);
        await using var db = _app.Db();
        Assert.False(await db.Games.AnyAsync(g => g.Name == "Bad order"));
    }

    [Fact]
    public async Task A_run_temperature_reaches_the_sampler_zero_plays_every_episode_alike_and_a_high_one_does_not()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var gameId = await CreateGameAsync(client, """
            { "name": "One story", "roles": [ { "name": "teller", "instructions": "", "sampling": { "temperature": 0.8, "maxTokens": 16 } } ],
              "protocol": { "maxTurns": 1 },
              "tasks": { "kind": "list", "items": [ { "prompt": "Once upon a time, there was a little girl named Lily.", "answer": "Lily" } ] },
              "scoring": [ { "kind": "contains", "value": "{{task.answer}}" } ] }
            """);

        var greedy = await StartRunAsync(client, new { gameId, episodes = 4, seed = 3, concurrency = 4, temperature = 0.0 });
        var hot = await StartRunAsync(client, new { gameId, episodes = 4, seed = 3, concurrency = 4, temperature = 1.5 });
        var bad = await client.PostAsJsonAsync("/api/runs", new { gameId, episodes = 1, temperature = 9.0 });

        Assert.Equal(RunStatus.Completed, (await _app.WaitForRunAsync(greedy, TimeSpan.FromMinutes(2))).Status);
        Assert.Equal(RunStatus.Completed, (await _app.WaitForRunAsync(hot, TimeSpan.FromMinutes(2))).Status);
        await using var db = _app.Db();
        async Task<List<string>> TextsAsync(long runId) =>
            await db.Turns.Where(t => db.Episodes.Any(e => e.Id == t.EpisodeId && e.RunId == runId)).Select(t => t.Text).ToListAsync();
        Assert.Equal(0.0, (await db.Runs.SingleAsync(r => r.Id == greedy)).Temperature);
        Assert.Equal(1.5, (await db.Runs.SingleAsync(r => r.Id == hot)).Temperature);
        Assert.Equal(1.5, (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{hot}")).GetProperty("temperature").GetDouble());
        Assert.Single((await TextsAsync(greedy)).Distinct()); // four episode seeds, one greedy text
        Assert.True((await TextsAsync(hot)).Distinct().Count() > 1);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"temperature\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_run_request_gets_a_400_naming_the_field()
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var wrongType = await client.PostAsync("/api/runs", new StringContent("""{ "gameId": 1, "episodes": "many" }""", Encoding.UTF8, "application/json"));
        var outOfRange = await client.PostAsJsonAsync("/api/runs", new { gameId = 999_999, episodes = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("episodes", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var errors = await outOfRange.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Contains("\"episodes\"", errors, StringComparison.Ordinal);
        Assert.Contains("\"gameId\"", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_model_fails_the_run_with_an_error_naming_the_file_and_writes_no_episode()
    {
        var corrupt = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.gguf");
        var bytes = await File.ReadAllBytesAsync(Core.Tests.TestModels.Stories260K);
        await File.WriteAllBytesAsync(corrupt, bytes[..(bytes.Length / 2)]);
        try
        {
            var client = await _app.ClientAsync(Roles.Researcher);
            var gameId = await CreateGameAsync(client, TestGames.Story("Corrupt model game"));
            var policy = await client.PostAsJsonAsync("/api/policies", new { name = "corrupt", baseModelPath = corrupt, chatTemplate = "chatml" });
            var policyId = (await policy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

            var runId = await StartRunAsync(client, new { gameId, policyId, episodes = 2 });
            var run = await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(1));

            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Contains(corrupt, run.Error, StringComparison.Ordinal);
            await using var db = _app.Db();
            Assert.False(await db.Episodes.AnyAsync(e => e.RunId == runId));
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public async Task Cancelling_a_run_stops_it_and_leaves_no_episode_running()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var gameId = await CreateGameAsync(client, TestGames.Story("Long game", maxTurns: 12, maxTokens: 48));
        var runId = await StartRunAsync(client, new { gameId, episodes = 50, concurrency = 2 });
        await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(1), RunStatus.Running);

        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);
        var run = await _app.WaitForRunAsync(runId, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        await using var db = _app.Db();
        Assert.False(await db.Episodes.AnyAsync(e => e.RunId == runId && e.Status == EpisodeStatus.Running));
        Assert.True(await db.Episodes.CountAsync(e => e.RunId == runId && e.Status == EpisodeStatus.Completed) < 50);
    }
}
