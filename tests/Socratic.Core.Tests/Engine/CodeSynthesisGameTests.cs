// The code games (code-synthesis, proposer-solver-code) played end to end through the GameEngine on a real tiny
// GGUF: the model's output is junk Python, so the point is that the whole path (task draw, generation, code
// extraction, the sandbox, the harness) runs and scores it 0, grounded, with the run's details in the score.
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Games;
using Socratic.Core.Tests.Inference;
using Socratic.Core.Tests.Sandbox;

namespace Socratic.Core.Tests.Engine;

[Collection(InferenceCollection.Name)]
public sealed class CodeSynthesisGameTests(InferenceFixture inference, SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Code_synthesis_plays_on_stories260K_and_scores_the_junk_zero_grounded()
    {
        var loaded = GameValidator.Load(await File.ReadAllTextAsync(Path.Combine(GameFilesTests.GamesDirectory(), "code-synthesis.json")));
        var game = loaded with { Protocol = loaded.Protocol with { MaxTokensPerTurn = 48 } }; // the tiny model's 512-token context
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 9);
        var spec = new PolicySpec(TestModels.Stories260K) { ChatTemplate = "chatml" };
        var engine = new GameEngine(inference.Provider, new ScorerFactory(sandbox: sandbox.Sandbox));

        var result = await engine.PlayAsync(new EpisodePlan(game, task, new Dictionary<string, PolicySpec> { ["coder"] = spec }, 9), null, CancellationToken.None);

        var turn = Assert.Single(result.Turns);
        Assert.True(turn.CompletionTokens > 0);
        var score = Assert.Single(result.Scores);
        Assert.Equal(("coder", "python_tests", true, 0.0), (score.Role, score.Kind, score.Grounded, score.Value));
        Assert.Equal(6, (int)score.Details["tests"]!);
        Assert.False(string.IsNullOrEmpty((string?)score.Details["reason"]));
        Assert.NotNull(score.Details["elapsedMs"]); // the code really went through the sandbox
    }

    [Fact]
    public async Task Proposer_solver_code_plays_on_stories260K_and_its_junk_task_is_invalid()
    {
        var loaded = GameValidator.Load(await File.ReadAllTextAsync(Path.Combine(GameFilesTests.GamesDirectory(), "proposer-solver-code.json")));
        var game = loaded with { Protocol = loaded.Protocol with { MaxTokensPerTurn = 16 } };
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 5);
        var spec = new PolicySpec(TestModels.Stories260K) { ChatTemplate = "chatml" };
        var engine = new GameEngine(inference.Provider, new ScorerFactory(sandbox: sandbox.Sandbox));

        var result = await engine.PlayAsync(new EpisodePlan(game, task, game.Roles.ToDictionary(r => r.Name, _ => spec), 5), null, CancellationToken.None);

        Assert.Equal(6, result.Turns.Count);
        Assert.Equal(["examiner", "setter"], result.Scores.Select(s => s.Role).Order(StringComparer.Ordinal));
        Assert.All(result.Scores, s => Assert.Equal((0.0, true, "code_learnability"), (s.Value, s.Grounded, s.Kind)));
        Assert.StartsWith("invalid task", (string?)result.Scores[0].Details["reason"], StringComparison.Ordinal);
    }
}
