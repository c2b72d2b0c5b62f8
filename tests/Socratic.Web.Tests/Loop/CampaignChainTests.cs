// A whole campaign through the API on real parts (stories260K, PostgreSQL, Hangfire): each generation runs its
// chain — self-play (at the campaign's temperature, against the opponent pool, rated), coverage, curation, LoRA
// training, held-out evaluation, meta-critic, approval — and the next generation plays the policy the previous
// one trained. Proposals that need an admin hold the chain until they are decided.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Training;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Loop;

[Collection(PostgresCollection.Name)]
public sealed class CampaignChainTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _adapters = Path.Combine(Path.GetTempPath(), $"socratic-campaign-{Guid.NewGuid():N}");
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "campaign_chain", new Dictionary<string, string?>
    {
        ["Socratic:Training:OutputDirectory"] = _adapters,
    });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_adapters))
        {
            Directory.Delete(_adapters, recursive: true);
        }
    }

    // A zero-sum two-role story: the teller wins when it names the hero, the rival (the opponent pool's seat) when not.
    private const string Duel = """
        {
          "name": "Campaign duel",
          "roles": [
            { "name": "teller", "instructions": "", "sampling": { "temperature": 0.8, "maxTokens": 12 } },
            { "name": "rival", "policy": "opponent", "instructions": "", "sampling": { "temperature": 0.8, "maxTokens": 8 } }
          ],
          "protocol": { "maxTurns": 2 },
          "tasks": { "kind": "list", "items": [
            { "prompt": "Once upon a time, there was a little girl named Lily.", "answer": "Lily" },
            { "prompt": "One day, a boy named Tim went to the park.", "answer": "Tim" }
          ] },
          "scoring": [ { "kind": "contains", "role": "teller", "value": "{{task.answer}}", "opponents": "complement" } ]
        }
        """;

    [Fact]
    public async Task Two_generations_run_their_chain_and_the_second_plays_the_policy_the_first_trained()
    {
        var researcher = await _app.ClientAsync(Roles.Researcher);
        var admin = await _app.ClientAsync(Roles.Admin);
        var game = await researcher.PostAsync("/api/games", new StringContent(Duel, System.Text.Encoding.UTF8, "application/json"));
        var gameId = (await game.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gameId").GetInt64();

        var start = await researcher.PostAsJsonAsync("/api/campaigns", new
        {
            name = "tiny",
            games = new[] { new { gameId, weight = 1.0 } },
            config = new
            {
                generations = 2, episodesPerGeneration = 4, temperature = 0.6, opponentPoolShare = 1.0, evalSuites = new[] { "arithmetic-heldout" }, evalTasks = 2,
                curation = new { minScore = 0, dedupThreshold = 0 },
                hyperparameters = new { loraRank = 2, loraAlpha = 4, learningRate = 1e-3, epochs = 1, batchSize = 2, seed = 1 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var campaignId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Poll; decide (approve) whatever the meta-critic proposes so the chain can go on.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var approved = 0;
        JsonElement view;
        while (true)
        {
            view = await researcher.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}");
            if (view.GetProperty("status").GetString() is "Completed" or "Failed" || DateTime.UtcNow > deadline)
            {
                break;
            }

            foreach (var d in view.GetProperty("decisions").EnumerateArray().Where(d => d.GetProperty("status").GetString() == "Proposed"))
            {
                var decided = await admin.PostAsJsonAsync($"/api/decisions/{d.GetProperty("id").GetInt64()}/approve", new { comment = "ok" });
                Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
                approved++;
            }

            await Task.Delay(500);
        }

        Assert.True(view.GetProperty("status").GetString() == "Completed", view.ToString());
        await using var db = _app.Db();
        var generations = await db.Generations.AsNoTracking().Where(g => g.CampaignId == campaignId).OrderBy(g => g.Number).ToListAsync();
        Assert.Equal([1, 2], generations.Select(g => g.Number));
        Assert.All(generations, g => Assert.Equal((GenerationStatus.Completed, GenerationStep.Done), (g.Status, g.Step)));
        foreach (var g in generations)
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.GenerationId == g.Id);
            Assert.Equal((4, g.PolicyId), (run.EpisodeCount, run.PolicyId));
            var coverage = await db.CoverageReports.AsNoTracking().SingleAsync(r => r.GenerationId == g.Id && r.GameId == null);
            using (var metrics = System.Text.Json.JsonDocument.Parse(coverage.Metrics))
            {
                // Embedded by the model that played (LLamaSharp), so dispersion is measured, not left out.
                Assert.True(metrics.RootElement.GetProperty("embeddingDispersion").GetDouble() > 0, coverage.Metrics);
            }

            var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.GenerationId == g.Id);
            var training = await db.TrainingRuns.AsNoTracking().SingleAsync(t => t.DatasetId == dataset.Id);
            Assert.Equal(TrainingStatus.Completed, training.Status);
        }

        var firstTrained = await db.Policies.AsNoTracking().SingleAsync(p => p.CampaignId == campaignId && p.ParentPolicyId == generations[0].PolicyId);
        Assert.Equal(firstTrained.Id, generations[1].PolicyId);
        Assert.Equal(1, firstTrained.Generation);
        var secondTrained = await db.Policies.AsNoTracking().SingleAsync(p => p.CampaignId == campaignId && p.ParentPolicyId == firstTrained.Id);
        Assert.Equal(secondTrained.Id, view.GetProperty("currentPolicyId").GetInt64());
        Assert.Equal(approved, await db.Decisions.CountAsync(d => d.CampaignId == campaignId && d.DecidedBy == SocraticApp.AdminEmail));

        // Self-play sampled at the campaign's temperature (raised by any diversity decision applied in generation 1);
        // generation 2 drew its opponents from generation 1's frozen policy.
        var runs = await db.Runs.AsNoTracking().Where(r => r.GenerationId != null && generations.Select(g => g.Id).Contains(r.GenerationId.Value)).OrderBy(r => r.Id).ToListAsync();
        var raised = await db.Decisions.CountAsync(d => d.GenerationId == generations[0].Id && d.Kind == Core.MetaCritic.DecisionKind.RaiseDiversity && d.Status == Core.MetaCritic.DecisionStatus.Applied);
        Assert.Equal([0.6, 0.6 + (0.2 * raised)], runs.Select(r => Math.Round(r.Temperature!.Value, 6)));
        Assert.Equal((0, 0.0), (runs[0].OpponentPool.Count, runs[0].OpponentShare));
        Assert.Equal([generations[0].PolicyId], runs[1].OpponentPool);
        Assert.Equal(1.0, runs[1].OpponentShare);
        var rivals = await db.EpisodeRoles.AsNoTracking().Where(r => r.Role == "rival" && db.Episodes.Any(e => e.Id == r.EpisodeId && e.RunId == runs[1].Id)).Select(r => r.PolicyId).ToListAsync();
        Assert.Equal([.. Enumerable.Repeat(generations[0].PolicyId, 4)], rivals);

        // Evaluation: generation 1 played the suite with its trained policy and its parent, generation 2 with its
        // trained policy only (its parent was generation 1's, already evaluated); each result belongs to its generation.
        var results = await db.EvaluationResults.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.PolicyId, r.GenerationId, r.Suite, r.Count }).ToListAsync();
        Assert.Equal(
            [(firstTrained.Id, generations[0].Id), (generations[0].PolicyId, generations[0].Id), (secondTrained.Id, generations[1].Id)],
            results.Select(r => (r.PolicyId, r.GenerationId!.Value)));
        Assert.All(results, r => Assert.Equal(("arithmetic-heldout", 2), (r.Suite, r.Count)));
        foreach (var g in view.GetProperty("generations").EnumerateArray())
        {
            var evaluation = g.GetProperty("metrics").GetProperty("evaluation");
            Assert.Equal(evaluation.GetProperty("total").GetInt32(), evaluation.GetProperty("done").GetInt32());
            Assert.Equal(2, evaluation.GetProperty("results").GetArrayLength());

        }

        // Elo per generation: generation 1 played itself (no rated game, the start rating); in generation 2 each
        // episode was one zero-sum game between the new policy and generation 1's frozen one.
        var ratings = view.GetProperty("generations").EnumerateArray().Select(g => g.GetProperty("ratings").EnumerateArray()
            .ToDictionary(r => r.GetProperty("policyId").GetInt64(), r => (Rating: r.GetProperty("rating").GetDouble(), Games: r.GetProperty("games").GetInt32(), Wins: r.GetProperty("wins").GetInt32(), Losses: r.GetProperty("losses").GetInt32()))).ToList();
        Assert.Equal((1500.0, 0), (ratings[0].Single().Value.Rating, ratings[0].Single().Value.Games));
        Assert.Equal(generations[0].PolicyId, ratings[0].Single().Key);
        var (newer, older) = (ratings[1][firstTrained.Id], ratings[1][generations[0].PolicyId]);
        Assert.Equal((4, 4), (newer.Games, older.Games));
        Assert.Equal((newer.Wins, newer.Losses), (older.Losses, older.Wins));
        Assert.Equal(3000, newer.Rating + older.Rating, 6);
        if (newer.Wins != newer.Losses)
        {
            Assert.Equal(newer.Wins > newer.Losses, newer.Rating > 1500); // with even records the order of results decides
        }
    }

    [Fact]
    public async Task A_bad_campaign_request_names_each_field()
    {
        var researcher = await _app.ClientAsync(Roles.Researcher);

        var response = await researcher.PostAsJsonAsync("/api/campaigns", new { name = "", games = new[] { new { gameId = 999999, weight = -1.0 } }, config = new { generations = 0, evalSuites = new[] { "no-such-suite" }, evalTasks = 0 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "games[0].gameId", "games[0].weight", "config.generations", "config.evalSuites[0]", "config.evalTasks" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }
    }
}
