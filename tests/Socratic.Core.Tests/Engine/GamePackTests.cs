// Every game shipped in games/ played end to end through the GameEngine on real GGUF models: the product's own
// socratic-micro as the run's policy, stories260K (ChatML) as the opponent. The replies are mostly wrong; the
// point is that every game kind — generators, uploaded-style lists, environments, the sandbox, judges — plays,
// ends and is scored by its own scorers, with AI feedback never marked grounded. Short turns keep it quick.
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Games;
using Socratic.Core.Tests.Inference;
using Socratic.Inference;
using Socratic.Core.Tests.Sandbox;

namespace Socratic.Core.Tests.Engine;

[Collection(InferenceCollection.Name)]
public sealed class GamePackTests(SandboxFixture sandbox, WideContextFixture wide) : IClassFixture<SandboxFixture>, IClassFixture<WideContextFixture>
{
    private const int TokensPerTurn = 24;

    private readonly LlamaPolicyProvider _provider = wide.Provider;

    public static TheoryData<string> GameFiles() => [.. FileNames()];

    private static IEnumerable<string> FileNames() =>
        Directory.EnumerateFiles(GameFilesTests.GamesDirectory(), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Fact]
    public void The_pack_has_at_least_ten_described_games()
    {
        var games = FileNames().Select(f => GameValidator.Load(File.ReadAllText(Path.Combine(GameFilesTests.GamesDirectory(), f)))).ToList();

        Assert.True(games.Count >= 10, $"{games.Count} games");
        Assert.All(games, g => Assert.False(string.IsNullOrWhiteSpace(g.Description), $"{g.Name} has no description"));
    }

    [Theory]
    [MemberData(nameof(GameFiles))]
    public async Task Every_shipped_game_plays_on_a_real_model_and_is_scored_by_its_own_scorers(string fileName)
    {
        var game = Short(GameValidator.Load(await File.ReadAllTextAsync(Path.Combine(GameFilesTests.GamesDirectory(), fileName))));
        var self = new PolicySpec(TestModels.SocraticMicro);
        var opponent = new PolicySpec(TestModels.Stories260K) { ChatTemplate = "chatml" };
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 3);
        var engine = new GameEngine(_provider, new ScorerFactory(_provider, sandbox: sandbox.Sandbox));

        var result = await engine.PlayAsync(
            new EpisodePlan(game, task, game.Roles.ToDictionary(r => r.Name, r => r.Policy == "opponent" ? opponent : self), 3), null, CancellationToken.None);

        Assert.NotEmpty(result.Turns);
        Assert.True(result.CompletionTokens > 0, "the model generated nothing");
        Assert.False(string.IsNullOrEmpty(result.EndReason));
        Assert.NotEmpty(result.Scores);
        Assert.All(result.Scores, s =>
        {
            Assert.Contains(s.Role, game.Roles.Select(r => r.Name));
            Assert.InRange(s.Value, 0.0, 1.0);
            Assert.Equal(s.Kind != "judge", s.Grounded); // AI feedback is never grounded; everything else is a check
        });
        Assert.True(result.Scores.Select(s => s.Scorer).Distinct().Count() >= game.Scoring.Count, "a scorer of the game gave no score");
    }

    /// <summary>The game with every turn capped, so fourteen games on two cores stay within seconds each.</summary>
    private static GameDefinition Short(GameDefinition game) => game with
    {
        Protocol = game.Protocol with { MaxTokensPerTurn = Math.Min(game.Protocol.MaxTokensPerTurn, TokensPerTurn) },
        Roles = [.. game.Roles.Select(r => r with { Sampling = r.Sampling with { MaxTokens = Math.Min(r.Sampling.MaxTokens, TokensPerTurn) } })],
    };
}

/// <summary>socratic-micro's full 1024-token context: the debate judge reads the question and both arguments.</summary>
public sealed class WideContextFixture : IAsyncLifetime
{
    public LlamaPolicyProvider Provider { get; } = new(new InferenceOptions { ContextSize = 1024, MaxSequences = 4, Threads = 1 });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
