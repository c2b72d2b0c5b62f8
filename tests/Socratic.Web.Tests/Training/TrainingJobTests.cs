// Training through the API on real parts: upload a tiny chat dataset, train a LoRA adapter on stories260K via
// the Hangfire training queue, find the next-generation Policy with its lineage and a falling loss curve, then
// play a self-play run with it (the adapter loads in the runtime). Bad dataset lines are 400s naming the line.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Training;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;
using Socratic.Web.Training;

namespace Socratic.Web.Tests.Training;

[Collection(PostgresCollection.Name)]
public sealed class TrainingJobTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Chat =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Tom?\"},{\"role\":\"assistant\",\"content\":\"Tom is a happy dog.\"}]}\n" +
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Lily?\"},{\"role\":\"assistant\",\"content\":\"Lily is a kind girl.\"}]}\n";

    private readonly string _adapters = Path.Combine(Path.GetTempPath(), $"socratic-adapters-{Guid.NewGuid():N}");
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "training_job", new Dictionary<string, string?>
    {
        ["Socratic:Training:OutputDirectory"] = _adapters,
        ["Socratic:Training:CheckpointEvery"] = "5",
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
    public async Task A_training_run_makes_the_next_generation_policy_that_plays()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var upload = await client.PostAsync("/api/datasets?name=tom&kind=chat", new StringContent(Chat, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var datasetId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var start = await client.PostAsJsonAsync("/api/training-runs",
            new { datasetId, objective = "sft", loraRank = 4, loraAlpha = 8, learningRate = 1e-2, epochs = 20, batchSize = 2, seed = 3 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var trainingRunId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Watchers of the training run get its progress (loading the model takes longer than subscribing).
        var events = new ConcurrentQueue<JsonElement>();
        await using var hub = await _app.HubAsync(Roles.Observer);
        hub.On<JsonElement>("TrainingProgress", e => events.Enqueue(e));
        await hub.InvokeAsync("WatchTraining", trainingRunId);

        var run = await WaitForTrainingAsync(trainingRunId, TimeSpan.FromSeconds(60));
        Assert.True(run.Status == TrainingStatus.Completed, run.Error);
        Assert.Equal(20, run.StepsDone);
        Assert.NotNull(run.CheckpointPath);

        await using var db = _app.Db();
        var policy = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == run.OutputPolicyId);
        var parent = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == run.BasePolicyId);
        Assert.Equal(1, policy.Generation);
        Assert.Equal(parent.Id, policy.ParentPolicyId);
        Assert.Equal(datasetId, policy.DatasetId);
        Assert.Equal(trainingRunId, policy.TrainingRunId);
        Assert.Equal(parent.BaseModelPath, policy.BaseModelPath);
        Assert.Equal(PolicyStatus.Candidate, policy.Status);
        Assert.True(Path.IsPathRooted(policy.AdapterPath) && File.Exists(policy.AdapterPath), policy.AdapterPath);

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{trainingRunId}");
        var curve = view.GetProperty("lossCurve").EnumerateArray().Select(p => p.GetProperty("loss").GetDouble()).ToList();
        Assert.True(curve.Count >= 2, view.ToString());
        Assert.True(curve[^1] < curve[0], $"{curve[0]} → {curve[^1]}");
        Assert.Equal(policy.Id, view.GetProperty("outputPolicyId").GetInt64());

        var waited = DateTime.UtcNow;
        while (!events.Any(e => e.GetProperty("status").GetString() == "Completed") && DateTime.UtcNow - waited < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        Assert.Contains(events, e => e.GetProperty("status").GetString() == "Completed" && e.GetProperty("trainingRunId").GetInt64() == trainingRunId);
        Assert.Contains(events, e => e.GetProperty("status").GetString() == "Running" && e.GetProperty("step").GetInt32() > 0);

        // A re-delivered job leaves a finished run alone; one re-delivered mid-way resumes from its checkpoint and
        // records the same output policy once.
        await db.TrainingRuns.Where(r => r.Id == trainingRunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingStatus.Running));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TrainingRunJob>().RunAsync(trainingRunId, CancellationToken.None);
        }

        var again = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == trainingRunId);
        Assert.Equal(TrainingStatus.Completed, again.Status);
        Assert.Equal(policy.Id, again.OutputPolicyId);
        Assert.Equal(1, await db.Policies.CountAsync(p => p.TrainingRunId == trainingRunId));

        // The adapter loads in the runtime: a self-play run with the new policy completes.
        var gameId = await SelfPlayApiTests.CreateGameAsync(client, TestGames.Story());
        var playId = await SelfPlayApiTests.StartRunAsync(client, new { gameId, policyId = policy.Id, episodes = 1, seed = 5 });
        var played = await _app.WaitForRunAsync(playId, TimeSpan.FromMinutes(1));
        Assert.True(played.Status == RunStatus.Completed, played.Error);
    }

    [Fact]
    public async Task A_dataset_with_a_bad_line_is_a_400_naming_the_line()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var body = Chat + "{\"messages\": [ this is not json\n";
        var response = await client.PostAsync("/api/datasets?name=bad&kind=chat", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("line 3", text);

        await using var db = _app.Db();
        Assert.False(await db.Datasets.AnyAsync(d => d.Name == "bad"));

        var bad = await client.PostAsJsonAsync("/api/training-runs", new { objective = "ppo", epochs = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = await bad.Content.ReadAsStringAsync();
        Assert.Contains("objective", errors);
        Assert.Contains("datasetId", errors);
        Assert.Contains("epochs", errors);
    }

    [Fact]
    public async Task A_base_policy_whose_model_is_missing_fails_the_run_with_a_clear_error()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var upload = await client.PostAsync("/api/datasets?name=tom&kind=chat", new StringContent(Chat, Encoding.UTF8, "application/x-ndjson"));
        var datasetId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        long policyId;
        await using (var db = _app.Db())
        {
            var missing = new Policy { Name = "missing-model", BaseModelPath = Path.Combine(_adapters, "missing.gguf"), CreatedAt = DateTimeOffset.UtcNow };
            db.Policies.Add(missing);
            await db.SaveChangesAsync();
            policyId = missing.Id;
        }

        var start = await client.PostAsJsonAsync("/api/training-runs", new { datasetId, basePolicyId = policyId, objective = "sft", epochs = 1 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var run = await WaitForTrainingAsync((await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), TimeSpan.FromSeconds(30));
        Assert.Equal(TrainingStatus.Failed, run.Status);
        Assert.Contains("missing.gguf", run.Error);
        Assert.Null(run.OutputPolicyId);
    }

    [Fact]
    public async Task Cancelling_a_running_training_run_stops_it_without_a_policy()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var upload = await client.PostAsync("/api/datasets?name=tom&kind=chat", new StringContent(Chat, Encoding.UTF8, "application/x-ndjson"));
        var datasetId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var start = await client.PostAsJsonAsync("/api/training-runs", new { datasetId, objective = "sft", epochs = 1000, batchSize = 2 });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await client.GetFromJsonAsync<JsonElement>($"/api/training-runs/{id}")).GetProperty("stepsDone").GetInt32() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no step recorded");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{id}/cancel", null)).StatusCode);

        // The job notices at its next progress write (about a second) and stops: steps stop growing.
        await Task.Delay(2500);
        await using var db = _app.Db();
        var first = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == id);
        await Task.Delay(1500);
        var later = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == id);
        Assert.Equal(TrainingStatus.Cancelled, later.Status);
        Assert.Equal(first.StepsDone, later.StepsDone);
        Assert.True(later.StepsDone < later.TotalSteps);
        Assert.Null(later.OutputPolicyId);
    }

    private async Task<TrainingRun> WaitForTrainingAsync(long id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = _app.Db();
            var run = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == id);
            if (run.Status is TrainingStatus.Completed or TrainingStatus.Failed or TrainingStatus.Cancelled)
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Training run {id} is still {run.Status} ({run.StepsDone}/{run.TotalSteps}) after {timeout}.");
            }

            await Task.Delay(200);
        }
    }
}
