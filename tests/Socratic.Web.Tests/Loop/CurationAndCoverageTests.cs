// The curation and coverage steps over a real PostgreSQL: a generation's stored episodes become a versioned,
// trainable dataset whose card says what was kept and dropped, and coverage reports with alarms per game.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Coverage;
using Socratic.Core.Curation;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;
using Socratic.Core.Training;
using Socratic.Training.Datasets;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Loop;

[Collection(PostgresCollection.Name)]
public sealed class CurationAndCoverageTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string Arithmetic = """
        { "name": "Sum solo", "roles": [ { "name": "solver", "instructions": "Answer with the number." } ],
          "tasks": { "kind": "list", "items": [ { "prompt": "What is 2 + 3?", "answer": "5" } ] },
          "scoring": [ { "kind": "exact" } ] }
        """;

    private const string Chant = """
        { "name": "Chant", "roles": [ { "name": "singer", "instructions": "Sing." } ],
          "tasks": { "kind": "list", "items": [ { "prompt": "Sing.", "answer": "la" } ] },
          "scoring": [ { "kind": "contains", "value": "la" } ] }
        """;

    private sealed record Seeded(SocraticDbContext Db, long GenerationId, long RunId);

    private async Task<Seeded> SeedAsync(string database)
    {
        var connection = await postgres.CreateDatabaseAsync(database);
        await SocraticDb.MigrateAsync(connection, default);
        var db = new SocraticDbContext(SocraticDb.Options(connection));
        var catalog = new GameCatalog(db, TimeProvider.System);
        var sum = await catalog.SaveAsync(Arithmetic, null, "test", default);
        var chant = await catalog.SaveAsync(Chant, null, "test", default);
        var policy = new Policy { Name = "base", BaseModelPath = "/models/base.gguf", CreatedAt = Now };
        db.Policies.Add(policy);
        await db.SaveChangesAsync();
        var campaign = new Campaign { Name = "c", StartPolicyId = policy.Id, CreatedAt = Now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var generation = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = policy.Id, StartedAt = Now };
        db.Generations.Add(generation);
        await db.SaveChangesAsync();
        var run = new Run { GenerationId = generation.Id, PolicyId = policy.Id, EpisodeCount = 30, CreatedAt = Now, Status = RunStatus.Completed };
        db.Runs.Add(run);
        await db.SaveChangesAsync();

        // 20 arithmetic episodes, answers 5 (right) or 6/7 (wrong); 10 chant episodes that all say the same thing.
        for (var i = 0; i < 30; i++)
        {
            var arithmetic = i < 20;
            var task = arithmetic ? new GameTask($"t{i % 4}", $"What is {i % 4} + 3?", $"{(i % 4) + 3}") : new GameTask("c", "Sing.", "la");
            var text = arithmetic ? (i % 3 == 0 ? $"{(i % 4) + 4}" : $"{(i % 4) + 3}") + $" because {i} {i * 7} {i * 13}" : "la la la la la la la la";
            var value = arithmetic ? (i % 3 == 0 ? 0.0 : 1.0) : 1.0;
            var episode = new Episode
            {
                RunId = run.Id, Ordinal = i, GameVersionId = arithmetic ? sum.VersionId : chant.VersionId, TaskId = task.Id, Task = JsonSerializer.Serialize(task),
                Status = EpisodeStatus.Completed, StartedAt = Now,
            };
            var role = arithmetic ? "solver" : "singer";
            episode.Turns.Add(new Turn { Index = 0, Role = role, Text = text, FinishReason = "Stop", StartedAt = Now });
            episode.Scores.Add(new Score { Role = role, Scorer = "exact", Kind = "exact", Value = value, Grounded = true });
            db.Episodes.Add(episode);
        }

        await db.SaveChangesAsync();
        return new Seeded(db, generation.Id, run.Id);
    }

    [Fact]
    public async Task Curating_a_generation_stores_a_trainable_chat_dataset_of_the_correct_answers_with_its_card()
    {
        var seeded = await SeedAsync("curation_chat");
        await using var db = seeded.Db;

        var dataset = await CurationService.CurateAsync(db,
            new CurationRequest("gen1-sft", DatasetKind.Chat, [seeded.RunId], new CurationRules { MinScore = 1, DedupThreshold = 0.9 }) { GenerationId = seeded.GenerationId },
            "test", Now, default);

        var items = await db.DatasetItems.Where(i => i.DatasetId == dataset.Id).OrderBy(i => i.Ordinal).ToListAsync();
        var records = ChatJsonl.ReadChat(new StringReader(string.Join('\n', items.Select(i => i.Content))));
        using var card = JsonDocument.Parse(dataset.Card);
        Assert.Equal(dataset.ItemCount, records.Count);
        Assert.All(records, r => Assert.Equal(["system", "user", "assistant"], r.Messages.Select(m => m.Role)));
        // 13 correct arithmetic answers (each distinct) + the 10 identical chants collapsed to one.
        Assert.Equal(14, records.Count);
        Assert.Equal(7, card.RootElement.GetProperty("dropped").GetProperty("below_min_score").GetInt32());
        Assert.Equal(9, card.RootElement.GetProperty("dropped").GetProperty("near_duplicate").GetInt32());
        Assert.Equal(1, card.RootElement.GetProperty("games").GetProperty("chant").GetInt32());
        Assert.All(items, i => Assert.NotNull(i.EpisodeId));
        Assert.Equal(seeded.GenerationId, dataset.GenerationId);
        Assert.Contains("minScore", dataset.Filters);
    }

    [Fact]
    public async Task Curating_groups_keeps_tasks_with_score_spread_and_a_second_curation_is_a_new_version()
    {
        var seeded = await SeedAsync("curation_groups");
        await using var db = seeded.Db;
        var request = new CurationRequest("gen1-groups", DatasetKind.ScoredGroups, [seeded.RunId], new CurationRules { DedupThreshold = 0 });

        var first = await CurationService.CurateAsync(db, request, "test", Now, default);
        var second = await CurationService.CurateAsync(db, request, "test", Now, default);

        var groups = ChatJsonl.ReadGroups(new StringReader(string.Join('\n', await db.DatasetItems.Where(i => i.DatasetId == first.Id).Select(i => i.Content).ToListAsync())));
        Assert.Equal(4, groups.Count); // four arithmetic tasks have right and wrong answers; the chant group has no spread
        Assert.All(groups, g => Assert.Contains(g.Completions, c => c.Score == 0));
        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Fact]
    public async Task Curation_that_leaves_nothing_says_why()
    {
        var seeded = await SeedAsync("curation_empty");
        await using var db = seeded.Db;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CurationService.CurateAsync(db,
            new CurationRequest("nothing", DatasetKind.Chat, [seeded.RunId], new CurationRules { MinScore = 2 }), "test", Now, default));

        Assert.Contains("below_min_score 30", error.Message);
    }

    [Fact]
    public async Task Coverage_reports_the_generation_and_each_game_and_flags_the_collapsed_game()
    {
        var seeded = await SeedAsync("coverage");
        await using var db = seeded.Db;

        var reports = await CoverageService.MeasureAsync(db, seeded.GenerationId, new CoverageThresholds(), Now, embed: null, default);

        Assert.Equal(3, reports.Count);
        Assert.Equal(3, await db.CoverageReports.CountAsync(r => r.GenerationId == seeded.GenerationId));
        var chantId = await db.Games.Where(g => g.Slug == "chant").Select(g => g.Id).SingleAsync();
        var chant = reports.Single(r => r.GameId == chantId);
        Assert.Contains("collapse", chant.Alarms);
        var arithmetic = reports.Single(r => r.GameId != null && r.GameId != chantId);
        Assert.DoesNotContain("distinct2\"", arithmetic.Alarms);
        using var metrics = JsonDocument.Parse(reports.Single(r => r.GameId == null).Metrics);
        Assert.Equal(30, metrics.RootElement.GetProperty("texts").GetInt32());

        await CoverageService.MeasureAsync(db, seeded.GenerationId, new CoverageThresholds(), Now, embed: null, default);
        Assert.Equal(3, await db.CoverageReports.CountAsync(r => r.GenerationId == seeded.GenerationId));
    }
}
