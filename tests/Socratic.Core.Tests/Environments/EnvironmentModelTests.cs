// Each shipped environment game played end to end through GameEngine on real GGUF models: stories260K as the
// run's policy and the random-weight llama as the opponent (the way a run plays a frozen earlier policy). With
// an opening move already stored (as a resumed episode has), the opponent's model is the one that plays.
// Their replies are junk; the point is that junk is handled: rejected and recorded, retried, forfeited, the
// episode ends, and the scores are the environment's, grounded. Few tokens per turn keep each test short.
using Socratic.Core.Engine;
using Socratic.Core.Environments;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Inference;

namespace Socratic.Core.Tests.Environments;

[Collection(InferenceCollection.Name)]
public sealed class EnvironmentModelTests(InferenceFixture fixture)
{
    private readonly GameEngine _engine = new(fixture.Provider, new ScorerFactory());

    private static GameDefinition Short(string fileName)
    {
        var game = EnvironmentEngineTests.LoadGame(fileName);
        return game with { Roles = [.. game.Roles.Select(r => r with { Sampling = r.Sampling with { MaxTokens = 12 } })] };
    }

    private static EpisodePlan Plan(GameDefinition game, ulong seed)
    {
        var self = new PolicySpec(TestModels.Stories260K) { ChatTemplate = "chatml" };
        var opponent = new PolicySpec(TestModels.TinyRandomLlama) { ChatTemplate = "chatml" };
        return new EpisodePlan(
            game, new TaskSourceFactory().Create(game.Tasks!).Draw(0, seed), game.Roles.ToDictionary(r => r.Name, r => r.Policy == "opponent" ? opponent : self), seed);
    }

    [Theory]
    [InlineData("tictactoe.json", null)]
    [InlineData("tictactoe.json", "MOVE: b2")]
    [InlineData("kuhn-poker.json", null)]
    [InlineData("kuhn-poker.json", "MOVE: bet")]
    [InlineData("negotiation.json", null)]
    [InlineData("negotiation.json", "PROPOSE: book=2 hat=1 ball=0")]
    [InlineData("twenty-questions.json", null)]
    [InlineData("twenty-questions.json", "QUESTION: Is it alive?")]
    public async Task Junk_from_a_real_model_is_rejected_recorded_and_the_episode_ends_with_grounded_scores(string fileName, string? storedOpening)
    {
        var game = Short(fileName);
        var first = game.Environment!.Seats()[0].Role;
        var plan = Plan(game, 3) with { CompletedTurns = storedOpening is null ? [] : EnvironmentKit.Turns((first, storedOpening)) };

        var result = await _engine.PlayAsync(plan, null, CancellationToken.None);

        var played = result.Turns.Skip(plan.CompletedTurns.Count).ToList();
        Assert.NotEmpty(played);
        Assert.All(played, t => Assert.Equal(storedOpening is null ? "self" : "opponent", game.FindRole(t.Role)!.Policy));

        // The rules, replayed over the stored turns, agree with the engine on every reply and on the end.
        var replay = game.Environment!.Create(plan.Task, plan.Seed);
        var rejected = result.Turns.Where(t => !replay.Submit(t.Index, t.Role, t.Text)).Select(t => t.Index).ToList();
        Assert.True(replay.IsOver);
        Assert.Equal(replay.EndReason, result.EndReason);
        Assert.Matches("^(forfeit|game_over):", result.EndReason);
        Assert.InRange(result.Turns.Count, 1, replay.TurnLimit);
        Assert.All(played, t => Assert.InRange(t.CompletionTokens, 1, 12));

        Assert.Equal(game.Roles.Select(r => r.Name).Order(StringComparer.Ordinal), result.Scores.Select(s => s.Role).Order(StringComparer.Ordinal));
        foreach (var score in result.Scores)
        {
            Assert.True(score.Grounded);
            Assert.Equal("environment", score.Kind);
            Assert.InRange(score.Value, 0.0, 1.0);
            Assert.Equal(rejected, score.Details["invalidMoves"]!.AsArray().Select(m => (int)m!["turn"]!));
            Assert.Equal(result.EndReason, (string?)score.Details["endReason"]);
        }

        if (result.EndReason.StartsWith("forfeit:", StringComparison.Ordinal))
        {
            // A forfeit comes from Retries + 1 rejected replies in a row by the same role.
            var forfeiter = result.EndReason["forfeit:".Length..];
            Assert.All(result.Turns.TakeLast(game.Environment.Retries + 1), t => Assert.Contains(t.Index, rejected));
            Assert.Equal(0.0, result.Scores.Single(s => s.Role == forfeiter).Value);
        }
    }

    [Fact]
    public async Task A_real_model_episode_is_deterministic_and_resumes_to_the_same_end()
    {
        var game = Short("negotiation.json");
        var full = await _engine.PlayAsync(Plan(game, 8), null, CancellationToken.None);
        var again = await _engine.PlayAsync(Plan(game, 8), null, CancellationToken.None);
        var resumed = await _engine.PlayAsync(Plan(game, 8) with { CompletedTurns = [.. full.Turns.Take(1)] }, null, CancellationToken.None);

        Assert.Equal(full.Turns.Select(t => t.Text), again.Turns.Select(t => t.Text));
        Assert.Equal(full.Turns.Select(t => t.Text), resumed.Turns.Select(t => t.Text));
        Assert.Equal(full.EndReason, resumed.EndReason);
        Assert.Equal(full.Scores.Select(s => s.Details.ToJsonString()), resumed.Scores.Select(s => s.Details.ToJsonString()));
    }
}
