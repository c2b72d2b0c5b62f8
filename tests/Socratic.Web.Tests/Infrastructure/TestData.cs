// Rows written straight into a migrated test database, for tests of pages and queries that read what self-play
// and the meta-critic store (the meta-critic that proposes decisions comes later; tests insert them directly).
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Core.MetaCritic;
using Socratic.Core.Play;
using Socratic.Core.Policies;

namespace Socratic.Web.Tests.Infrastructure;

public static class TestData
{
    /// <summary>A fresh database with every migration applied, without starting the host.</summary>
    public static async Task<string> MigratedDatabaseAsync(PostgresFixture postgres, string name)
    {
        var connectionString = await postgres.CreateDatabaseAsync(name);
        await SocraticDb.MigrateAsync(connectionString, CancellationToken.None);
        return connectionString;
    }

    public static async Task<Decision> DecisionAsync(
        SocraticDbContext db, string rationale, string evidence = "{}", DecisionKind kind = DecisionKind.Reweight, string payload = "{}")
    {
        var decision = new Decision { Kind = kind, Rationale = rationale, Evidence = evidence, ExpectedEffect = "mean score +0.1", Payload = payload, ProposedAt = DateTimeOffset.UtcNow };
        db.Decisions.Add(decision);
        await db.SaveChangesAsync();
        return decision;
    }

    public static async Task<Policy> PolicyAsync(SocraticDbContext db, string name, int generation = 0, long? parentId = null)
    {
        var policy = new Policy { Name = name, BaseModelPath = "/models/base.gguf", Generation = generation, ParentPolicyId = parentId, CreatedAt = DateTimeOffset.UtcNow };
        db.Policies.Add(policy);
        await db.SaveChangesAsync();
        return policy;
    }

    public static async Task<GameVersion> GameAsync(SocraticDbContext db, string name)
    {
        var game = new Game { Slug = name.ToLowerInvariant().Replace(' ', '-'), Name = name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var version = new GameVersion { Game = game, Version = 1, Definition = "{}", DefinitionHash = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow };
        db.GameVersions.Add(version);
        await db.SaveChangesAsync();
        return version;
    }

    /// <summary>A completed episode in a new run: one turn per text, alternating two roles, and one score per value.</summary>
    public static async Task<Episode> EpisodeAsync(SocraticDbContext db, GameVersion version, Policy policy, string[] turns, params double[] scores)
    {
        var run = new Run { PolicyId = policy.Id, EpisodeCount = 1, Status = RunStatus.Completed, CreatedAt = DateTimeOffset.UtcNow, Games = [new RunGame { GameVersionId = version.Id }] };
        var episode = new Episode
        {
            Run = run, GameVersionId = version.Id, TaskId = "t1", Task = """{"prompt":"p"}""", Status = EpisodeStatus.Completed, StartedAt = DateTimeOffset.UtcNow,
            Turns = [.. turns.Select((text, i) => new Turn { Index = i, Role = i % 2 == 0 ? "explorer" : "critic", Text = text, FinishReason = "stop", CompletionTokens = 5, DurationMs = 40 })],
            Scores = [.. scores.Select((value, i) => new Score { Role = "explorer", Scorer = $"s{i}", Kind = "exact", Value = value, Grounded = i == 0 })],
        };
        db.Episodes.Add(episode);
        await db.SaveChangesAsync();
        return episode;
    }
}
