// Elo ratings after a generation's self-play, over a real PostgreSQL: a generation whose policy met a frozen
// earlier generation in some episodes gets one rating row per policy — the new policy starting from its parent's
// rating — moved by the grounded outcomes only (judge scores, self-play and unfinished episodes do not count),
// with its record; rating the generation again returns the same rows.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Ratings;
using Socratic.Core.Tasks;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Loop;

[Collection(PostgresCollection.Name)]
public sealed class RatingTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string Duel = """
        { "name": "Duel", "roles": [ { "name": "first", "instructions": "Answer." }, { "name": "second", "policy": "opponent", "instructions": "Answer." } ],
          "tasks": { "kind": "list", "items": [ { "prompt": "What is 2 + 3?", "answer": "5" } ] },
          "scoring": [ { "kind": "exact" } ] }
        """;

    [Fact]
    public async Task A_generations_self_play_against_a_frozen_policy_writes_elo_ratings_from_grounded_outcomes()
    {
        var connection = await postgres.CreateDatabaseAsync("ratings_generation");
        await SocraticDb.MigrateAsync(connection, default);
        await using var db = new SocraticDbContext(SocraticDb.Options(connection));
        var game = await new GameCatalog(db, TimeProvider.System).SaveAsync(Duel, null, "test", default);
        var gen0 = new Policy { Name = "gen0", BaseModelPath = "/m.gguf", CreatedAt = Now };
        db.Policies.Add(gen0);
        await db.SaveChangesAsync();
        var campaign = new Campaign { Name = "rated", StartPolicyId = gen0.Id, CreatedAt = Now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var gen1 = new Policy { Name = "gen1", BaseModelPath = "/m.gguf", AdapterPath = "/a.gguf", ParentPolicyId = gen0.Id, CampaignId = campaign.Id, CreatedAt = Now };
        db.Policies.Add(gen1);
        await db.SaveChangesAsync();
        var first = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = gen0.Id, StartedAt = Now };
        var second = new Generation { CampaignId = campaign.Id, Number = 2, PolicyId = gen1.Id, StartedAt = Now };
        db.Generations.AddRange(first, second);
        await db.SaveChangesAsync();

        // Generation 1: the start policy against itself (no rated game). Generation 2: gen1 against the frozen gen0 —
        // a win, a win and a draw by grounded score; a judge score saying otherwise, a self-play episode and a failed
        // episode do not count.
        AddRun(db, first.Id, gen0.Id, game.VersionId, [(gen0.Id, gen0.Id, 1.0, 0.0, EpisodeStatus.Completed)]);
        AddRun(db, second.Id, gen1.Id, game.VersionId,
        [
            (gen1.Id, gen0.Id, 1.0, 0.0, EpisodeStatus.Completed),
            (gen1.Id, gen0.Id, 1.0, 0.0, EpisodeStatus.Completed),
            (gen1.Id, gen0.Id, 0.5, 0.5, EpisodeStatus.Completed),
            (gen1.Id, gen1.Id, 1.0, 0.0, EpisodeStatus.Completed),
            (gen1.Id, gen0.Id, 0.0, 1.0, EpisodeStatus.Failed),
        ]);
        await db.SaveChangesAsync();
        var settings = new RatingSettings();

        var before = Assert.Single(await RatingService.RateGenerationAsync(db, first.Id, settings, Now, default));
        var after = await RatingService.RateGenerationAsync(db, second.Id, settings, Now, default);
        var again = await RatingService.RateGenerationAsync(db, second.Id, settings, Now, default);

        Assert.Equal((gen0.Id, 1500.0, 0), (before.PolicyId, before.Rating, before.Games));
        var (a, b) = Elo.Update(1500, 1500, 1, 32); // gen1 starts at its parent's 1500
        (a, b) = Elo.Update(a, b, 1, 32);
        (a, b) = Elo.Update(a, b, 0.5, 32);
        var newer = Assert.Single(after, r => r.PolicyId == gen1.Id);
        var older = Assert.Single(after, r => r.PolicyId == gen0.Id);
        Assert.Equal(a, newer.Rating, 9);
        Assert.Equal(b, older.Rating, 9);
        Assert.True(newer.Rating > 1525, $"{newer.Rating}");
        Assert.Equal((3, 2, 0, 1), (newer.Games, newer.Wins, newer.Losses, newer.Draws));
        Assert.Equal((3, 0, 2, 1), (older.Games, older.Wins, older.Losses, older.Draws));
        Assert.Equal(after.Select(r => r.Id).Order(), again.Select(r => r.Id).Order());
        Assert.Equal(3, await db.PolicyRatings.CountAsync(r => r.CampaignId == campaign.Id));
    }

    private static void AddRun(SocraticDbContext db, long generationId, long policyId, long versionId,
        IReadOnlyList<(long First, long Second, double FirstScore, double SecondScore, EpisodeStatus Status)> episodes)
    {
        var run = new Run { GenerationId = generationId, PolicyId = policyId, EpisodeCount = episodes.Count, CreatedAt = Now, Status = RunStatus.Completed };
        var task = new GameTask("t", "What is 2 + 3?", "5");
        for (var i = 0; i < episodes.Count; i++)
        {
            var e = episodes[i];
            var episode = new Episode { Ordinal = i, GameVersionId = versionId, TaskId = task.Id, Task = JsonSerializer.Serialize(task), Status = e.Status, StartedAt = Now };
            episode.Roles.AddRange([new EpisodeRole { Role = "first", PolicyId = e.First }, new EpisodeRole { Role = "second", PolicyId = e.Second }]);
            episode.Scores.AddRange(
            [
                new Score { Role = "first", Scorer = "exact", Kind = "exact", Value = e.FirstScore, Grounded = true },
                new Score { Role = "second", Scorer = "exact", Kind = "exact", Value = e.SecondScore, Grounded = true },
                new Score { Role = "second", Scorer = "judge", Kind = "judge", Value = 10, Grounded = false },
            ]);
            run.Episodes.Add(episode);
        }

        db.Runs.Add(run);
    }
}
