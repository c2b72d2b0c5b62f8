// Environment games through GameEngine with scripted policies: the environment picks who moves and what each
// role is shown, rejected replies are retried then forfeit, scores are the rules' (grounded), and an episode
// resumed from its stored turns ends exactly as the uninterrupted one.
using System.Text.RegularExpressions;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Environments;

public class EnvironmentEngineTests
{
    internal static GameDefinition LoadGame(string fileName) =>
        GameValidator.Load(File.ReadAllText(Path.Combine(TestModels.GamesDirectory, fileName)));

    // Plays the first free cell; "o" is kept as a separate policy, the way a run's opponent policy is.
    private static ScriptedPolicy FirstFreeCell(string name) =>
        new(name, prompt => $"I take the first free cell.\nMOVE: {Regex.Match(prompt, "Free cells: ([a-c][1-3])").Groups[1].Value}");

    private static EpisodePlan Plan(GameDefinition game, ulong seed, ScriptedPolicy self, ScriptedPolicy opponent) =>
        new(
            game,
            new TaskSourceFactory().Create(game.Tasks!).Draw(0, seed),
            game.Roles.ToDictionary(r => r.Name, r => r.Policy == "opponent" ? opponent.Spec : self.Spec),
            seed);

    [Fact]
    public async Task The_environment_decides_turns_and_the_rules_decide_the_score()
    {
        var game = LoadGame("tictactoe.json");
        var (x, o) = (FirstFreeCell("x"), FirstFreeCell("o"));
        var engine = new GameEngine(new ScriptedPolicies(x, o), new ScorerFactory());

        var result = await engine.PlayAsync(Plan(game, 1, x, o), null, CancellationToken.None);

        // a1 b1 c1 a2 b2 c2 a3: X completes the diagonal c1-b2-a3.
        Assert.Equal(["x", "o", "x", "o", "x", "o", "x"], result.Turns.Select(t => t.Role));
        Assert.Equal("game_over:x_wins", result.EndReason);
        var scores = result.Scores.ToDictionary(s => s.Role);
        Assert.Equal((1.0, 0.0), (scores["x"].Value, scores["o"].Value));
        Assert.All(result.Scores, s => Assert.True(s.Grounded));
        Assert.All(result.Scores, s => Assert.Equal("environment", s.Kind));
        Assert.Equal("XOXOXOX..", (string?)scores["x"].Details["board"]);
        Assert.Empty(scores["x"].Details["invalidMoves"]!.AsArray());
        Assert.Contains("You play X.", x.Prompts[0], StringComparison.Ordinal);
        Assert.All(o.Prompts, p => Assert.Contains("You play O.", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_reply_is_retried_with_its_reason_then_forfeits_and_is_stored_in_the_score_details()
    {
        var game = LoadGame("tictactoe.json");
        var x = FirstFreeCell("x");
        var o = new ScriptedPolicy("o", _ => "MOVE: a1"); // always the cell X took first
        var engine = new GameEngine(new ScriptedPolicies(x, o), new ScorerFactory());

        var result = await engine.PlayAsync(Plan(game, 1, x, o), null, CancellationToken.None);

        Assert.Equal(["x", "o", "o"], result.Turns.Select(t => t.Role));
        Assert.Equal("forfeit:o", result.EndReason);
        Assert.Contains("Your last reply was rejected: cell a1 is already taken by X. Attempts left: 1.", o.Prompts[1], StringComparison.Ordinal);
        var details = result.Scores.Single(s => s.Role == "o").Details;
        Assert.Equal(0.0, (double)details["value"]!);
        Assert.Equal([1, 2], details["invalidMoves"]!.AsArray().Select(m => (int)m!["turn"]!));
        Assert.Equal("o", (string?)details["forfeitedBy"]);
    }

    [Fact]
    public async Task Resuming_from_stored_turns_ends_as_the_uninterrupted_episode()
    {
        var game = LoadGame("kuhn-poker.json");
        var self = new ScriptedPolicy("self", p => p.Contains("legal now: check, bet", StringComparison.Ordinal) ? "MOVE: bet" : "I will call.");
        var opponent = new ScriptedPolicy("opponent", p => p.Contains("Attempts left", StringComparison.Ordinal) ? "MOVE: call" : "MOVE: check");
        var engine = new GameEngine(new ScriptedPolicies(self, opponent), new ScorerFactory());
        var full = await engine.PlayAsync(Plan(game, 4, self, opponent), null, CancellationToken.None);

        for (var cut = 0; cut < full.Turns.Count; cut++)
        {
            var resumed = await engine.PlayAsync(Plan(game, 4, self, opponent) with { CompletedTurns = [.. full.Turns.Take(cut)] }, null, CancellationToken.None);

            Assert.Equal(full.Turns.Select(t => (t.Role, t.Text)), resumed.Turns.Select(t => (t.Role, t.Text)));
            Assert.Equal(full.EndReason, resumed.EndReason);
            Assert.Equal(full.Scores.Select(s => (s.Role, s.Value, s.Details.ToJsonString())), resumed.Scores.Select(s => (s.Role, s.Value, s.Details.ToJsonString())));
        }

        // first bets; second says check (illegal facing a bet), sees why, then calls.
        Assert.Equal(["first", "second", "second"], full.Turns.Select(t => t.Role));
        Assert.Equal("game_over:", full.EndReason[..10]);
    }

    [Fact]
    public async Task Stored_turns_that_do_not_fit_the_rules_are_refused_rather_than_resumed()
    {
        var game = LoadGame("tictactoe.json");
        var (x, o) = (FirstFreeCell("x"), FirstFreeCell("o"));
        var engine = new GameEngine(new ScriptedPolicies(x, o), new ScorerFactory());
        var wrongRole = EnvironmentKit.Turns(("o", "MOVE: a1"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => engine.PlayAsync(Plan(game, 1, x, o) with { CompletedTurns = wrongRole }, null, CancellationToken.None));

        Assert.Contains("the rules say 'x' moves", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_guesser_is_never_shown_the_secret_even_when_the_answerer_says_it()
    {
        var game = LoadGame("twenty-questions.json");
        var guesser = new ScriptedPolicy("guesser", _ => "QUESTION: Is it alive?");
        var answerer = new ScriptedPolicy("answerer", p => $"The word is {Regex.Match(p, "secret word is: (\\w+)").Groups[1].Value}.\nANSWER: yes");
        var engine = new GameEngine(new ScriptedPolicies(guesser, answerer), new ScorerFactory());
        var plan = Plan(game, 2, guesser, answerer);

        var result = await engine.PlayAsync(plan, null, CancellationToken.None);

        Assert.Equal("game_over:not_found", result.EndReason);
        Assert.Equal(40, result.Turns.Count);
        Assert.All(answerer.Prompts, p => Assert.Contains($"The secret word is: {plan.Task.Answer}", p, StringComparison.Ordinal));
        Assert.All(guesser.Prompts, p => Assert.DoesNotContain(plan.Task.Answer!, p, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("19. Q: Is it alive? A: yes", guesser.Prompts[^1], StringComparison.Ordinal); // the parsed answer only
    }
}
