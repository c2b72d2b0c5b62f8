// A whole campaign through the API on real parts (stories260K, PostgreSQL, Hangfire): each generation runs its
// chain — self-play, coverage, curation, LoRA training, meta-critic, approval — and the next generation plays
// the policy the previous one trained. Proposals that need an admin hold the chain until they are decided.
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

    [Fact]
    public async Task Two_generations_run_their_chain_and_the_second_plays_the_policy_the_first_trained()
    {
        var researcher = await _app.ClientAsync(Roles.Researcher);
        var admin = await _app.ClientAsync(Roles.Admin);
        var game = await researcher.PostAsync("/api/games", new StringContent(TestGames.Story("Campaign story", maxTurns: 1, maxTokens: 12), System.Text.Encoding.UTF8, "application/json"));
        var gameId = (await game.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gameId").GetInt64();

        var start = await researcher.PostAsJsonAsync("/api/campaigns", new
        {
            name = "tiny",
            games = new[] { new { gameId, weight = 1.0 } },
            config = new
            {
                generations = 2, episodesPerGeneration = 4, curation = new { minScore = 0, dedupThreshold = 0 },
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
                var decided = await admin.PostAsJsonAsync($"/api/campaigns/decisions/{d.GetProperty("id").GetInt64()}/approve", new { comment = "ok" });
                Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
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
            Assert.True(await db.CoverageReports.AnyAsync(r => r.GenerationId == g.Id));
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
    }

    [Fact]
    public async Task A_bad_campaign_request_names_each_field()
    {
        var researcher = await _app.ClientAsync(Roles.Researcher);

        var response = await researcher.PostAsJsonAsync("/api/campaigns", new { name = "", games = new[] { new { gameId = 999999, weight = -1.0 } }, config = new { generations = 0 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "games[0].gameId", "games[0].weight", "config.generations" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }
    }
}
