// Judges in the real host: the bundled debate-judge game played through the API and the self-play job on
// stories260K stores its judge scores as not grounded (and the judge role's truth check as grounded), and
// GET /api/games/{id}/judge-length reports how much stored judge scores follow answer length.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Web.Play;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;

namespace Socratic.Web.Tests.Judges;

[Collection(PostgresCollection.Name)]
public sealed class JudgeGameTests(PostgresFixture postgres) : IAsyncLifetime
{
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "judges", new Dictionary<string, string?>
    {
        ["Socratic:Host:Mode"] = "Web",
        ["Inference:ContextSize"] = "1024",
        ["Inference:Threads"] = "1", // two spinning decode threads on a shared 2-core machine are several times slower
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Debate_judge_plays_on_a_real_model_and_keeps_ai_feedback_apart_from_grounded_scores()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(client, await File.ReadAllTextAsync(GameFile("debate-judge.json")));
        var runId = await SelfPlayApiTests.StartRunAsync(client, new { gameId, episodes = 2, seed = 5, concurrency = 2 });

        // No worker runs in web mode: deliver the job ourselves.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PlayRunJob>().RunAsync(runId, CancellationToken.None);
        }

        await using var db = _app.Db();
        var run = await db.Runs.SingleAsync(r => r.Id == runId);
        Assert.True(run.Status == RunStatus.Completed, run.Error);
        var scores = await db.Scores.Where(s => db.Episodes.Any(e => e.Id == s.EpisodeId && e.RunId == runId)).ToListAsync();
        var judged = scores.Where(s => s.Scorer == "debate-verdict").ToList();
        var truth = scores.Where(s => s.Scorer == "judge-picks-truth").ToList();
        Assert.Equal(4, judged.Count); // two debaters × two episodes
        Assert.All(judged, s => Assert.False(s.Grounded));
        Assert.All(judged, s => Assert.Equal(2, JsonNode.Parse(s.Details)!["orders"]!.AsArray().Count)); // both orders asked
        Assert.Equal(2, truth.Count);
        Assert.All(truth, s => Assert.True(s.Grounded && s.Role == "judge"));

        var report = await (await _app.ClientAsync(Roles.Observer)).GetFromJsonAsync<JudgeLengthReport>($"/api/games/{gameId}/judge-length");
        Assert.Equal(4, report!.Scores);
        Assert.False(report.FollowsLength);
    }

    [Fact]
    public async Task The_length_monitor_flags_a_game_whose_judge_rewards_longer_answers()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var biased = await SelfPlayApiTests.CreateGameAsync(client, TestGames.Story($"Biased {Guid.NewGuid():N}"));
        var fair = await SelfPlayApiTests.CreateGameAsync(client, TestGames.Story($"Fair {Guid.NewGuid():N}"));

        // 30 pairwise verdicts per game: in "biased" the longer answer always wins; in "fair" the winner alternates.
        await StoreVerdictsAsync(biased, i => true);
        await StoreVerdictsAsync(fair, i => i % 2 == 0);

        var observer = await _app.ClientAsync(Roles.Observer);
        var flagged = await observer.GetFromJsonAsync<JudgeLengthReport>($"/api/games/{biased}/judge-length");
        var clean = await observer.GetFromJsonAsync<JudgeLengthReport>($"/api/games/{fair}/judge-length");

        Assert.Equal(60, flagged!.Scores);
        Assert.True(flagged.FollowsLength, flagged.Summary);
        Assert.True(flagged.Spearman > 0.8);
        Assert.Equal(1.0, flagged.LongerWinsRate);
        Assert.False(clean!.FollowsLength, clean.Summary);
        Assert.Equal(0.5, clean.LongerWinsRate);
        Assert.Equal(HttpStatusCode.NotFound, (await observer.GetAsync("/api/games/987654/judge-length")).StatusCode);
    }

    private async Task StoreVerdictsAsync(long gameId, Func<int, bool> longerWins)
    {
        await using var db = _app.Db();
        var versionId = await db.GameVersions.Where(v => v.GameId == gameId).Select(v => v.Id).SingleAsync();
        var policy = await PolicyRegistry.EnsureBaseModelAsync(db, Core.Tests.TestModels.Stories260K, "chatml", TimeProvider.System, CancellationToken.None);
        var run = new Run { PolicyId = policy.Id, EpisodeCount = 30, Status = RunStatus.Completed, CreatedAt = DateTimeOffset.UtcNow, Games = [new RunGame { GameVersionId = versionId }] };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        for (var i = 0; i < 30; i++)
        {
            int longer = 100 + (i * 10), shorter = 20 + i;
            var aWins = longerWins(i);
            db.Episodes.Add(new Episode
            {
                RunId = run.Id, Ordinal = i, GameVersionId = versionId, TaskId = $"t{i}", Task = "{}", Status = EpisodeStatus.Completed,
                Scores =
                [
                    Verdict("a", aWins ? 1 : 0, longer, shorter),
                    Verdict("b", aWins ? 0 : 1, shorter, longer),
                ],
            });
        }

        await db.SaveChangesAsync();
    }

    private static Score Verdict(string role, double value, int chars, int otherChars) => new()
    {
        Role = role, Scorer = "verdict", Kind = "judge", Value = value, Grounded = false,
        Details = new JsonObject { ["answerChars"] = chars, ["otherChars"] = otherChars, ["consistent"] = true }.ToJsonString(),
    };

    private static string GameFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Socratic.sln")))
            {
                return Path.Combine(dir.FullName, "games", name);
            }
        }

        throw new DirectoryNotFoundException("Socratic.sln not found above " + AppContext.BaseDirectory);
    }
}
