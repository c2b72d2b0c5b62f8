// Every game shipped in games/ must load (parse + validate) and be playable by the task and scorer factories.
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Games;

public class GameFilesTests
{
    public static TheoryData<string> GameFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(GamesDirectory(), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_games_folder_holds_the_expected_games()
    {
        var names = Directory.GetFiles(GamesDirectory(), "*.json").Select(Path.GetFileNameWithoutExtension);

        Assert.Superset(
            new HashSet<string?>
            {
                "arithmetic-solo", "explorer-critic-arithmetic", "story-continuation", "two-role-dialogue",
                "word-problems", "string-transforms", "self-refine", "debate-judge",
            },
            names.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(GameFiles))]
    public void Game_file_loads_and_its_parts_can_be_built(string fileName)
    {
        var game = GameValidator.Load(File.ReadAllText(Path.Combine(GamesDirectory(), fileName)));

        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), game.Name);
        Assert.False(string.IsNullOrWhiteSpace(game.Description));
        Assert.NotEmpty(game.Scoring);
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        Assert.False(string.IsNullOrWhiteSpace(task.Prompt));
        Assert.All(game.Scoring, s => new ScorerFactory(new ScriptedPolicy(_ => "")).Create(s));
    }

    [Fact]
    public void Arithmetic_solo_rewards_a_correct_answer_line_only()
    {
        var game = Load("arithmetic-solo.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var scorer = new ScorerFactory().Create(game.Scoring[0]);

        Assert.Equal(1.0, Score(scorer, game, task, ("solver", $"Let me see.\nAnswer: {task.Answer}")).Single().Value);
        Assert.Equal(0.0, Score(scorer, game, task, ("solver", task.Answer!)).Single().Value);
    }

    [Fact]
    public void Explorer_critic_scores_the_explorers_final_answer_and_shares_it_with_the_critic()
    {
        var game = Load("explorer-critic-arithmetic.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var scorer = new ScorerFactory().Create(game.Scoring[0]);
        var wrong = (long.Parse(task.Answer!, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var revised = Score(scorer, game, task,
            ("explorer", $"Answer: {wrong}"), ("critic", "VERDICT: WRONG"), ("explorer", $"My old Answer: {wrong} was wrong.\nAnswer: {task.Answer}"));
        var regressed = Score(scorer, game, task,
            ("explorer", $"Answer: {task.Answer}"), ("critic", "VERDICT: WRONG"), ("explorer", $"Answer: {wrong}"));

        Assert.Equal([("explorer", 1.0), ("critic", 1.0)], revised.Select(r => (r.Role, r.Value)));
        Assert.Equal([("explorer", 0.0), ("critic", 0.0)], regressed.Select(r => (r.Role, r.Value)));
    }

    [Fact]
    public void Two_role_dialogue_is_zero_sum()
    {
        var game = Load("two-role-dialogue.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var scorer = new ScorerFactory().Create(game.Scoring[0]);

        var results = Score(scorer, game, task, ("teller", "A big storm came."), ("listener", $"{task.Answer} ran home."));

        Assert.Equal(1.0, results.Sum(r => r.Value));
        Assert.Equal(1.0, results.Single(r => r.Role == "listener").Value);
    }

    [Fact]
    public void Story_continuation_rewards_mentioning_the_character()
    {
        var game = Load("story-continuation.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var scorer = new ScorerFactory().Create(game.Scoring[0]);

        Assert.Equal(1.0, Score(scorer, game, task, ("storyteller", $" Then {task.Answer} smiled.")).Single().Value);
        Assert.Equal(0.0, Score(scorer, game, task, ("storyteller", " Then the sun went down.")).Single().Value);
    }

    [Fact]
    public void Word_problems_and_string_transforms_reward_the_exact_answer_only()
    {
        foreach (var file in new[] { "word-problems.json", "string-transforms.json" })
        {
            var game = Load(file);
            var task = new TaskSourceFactory().Create(game.Tasks!).Draw(3, 9);
            var scorer = new ScorerFactory().Create(game.Scoring[0]);

            Assert.Equal(1.0, Score(scorer, game, task, ("solver", $"Step by step.\nAnswer: {task.Answer}")).Single().Value);
            Assert.Equal(0.0, Score(scorer, game, task, ("solver", $"Answer: 9{task.Answer}")).Single().Value);
        }
    }

    [Fact]
    public void Self_refine_rewards_a_revision_that_fixes_the_answer()
    {
        var game = Load("self-refine.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var factory = new ScorerFactory();
        var wrong = task.Answer + "1";

        var fixedUp = Score(factory.Create(game.Scoring[0]), game, task, ("solver", $"Answer: {wrong}"), ("critic", "Step 2 is wrong."), ("solver", $"Answer: {task.Answer}"));
        var spoiled = Score(factory.Create(game.Scoring[0]), game, task, ("solver", $"Answer: {task.Answer}"), ("critic", "Step 2 is wrong."), ("solver", $"Answer: {wrong}"));

        Assert.Equal([("solver", 1.0), ("critic", 1.0)], fixedUp.Select(r => (r.Role, r.Value)));
        Assert.Equal([("solver", -1.0), ("critic", -1.0)], spoiled.Select(r => (r.Role, r.Value)));
        Assert.All(fixedUp, r => Assert.True(r.Grounded));
    }

    [Fact]
    public async Task Debate_judge_grounds_the_judges_verdict_and_flags_the_debaters_reward_as_ai_feedback()
    {
        var game = Load("debate-judge.json");
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var truth = task.Answer!;
        var lie = truth == "A" ? "B" : "A";
        var factory = new ScorerFactory(new ScriptedPolicy(m => ScriptedPolicy.Shown(m, "A").Contains("true", StringComparison.Ordinal) ? "VERDICT: A" : "VERDICT: B"));
        (string, string)[] Debate(string verdict) =>
        [
            ("debater_a", truth == "A" ? "Mine is true." : "Mine is false."),
            ("debater_b", truth == "B" ? "Mine is true." : "Mine is false."),
            ("judge", $"The evidence favours one side.\nVERDICT: {verdict}"),
        ];

        var right = Score(factory.Create(game.Scoring[0]), game, task, Debate(truth)).Single();
        var wrong = Score(factory.Create(game.Scoring[0]), game, task, Debate(lie)).Single();
        var self = new Socratic.Core.Policies.PolicySpec("self.gguf");
        var context = Scoring.ScoringKit.Context(game, task, Debate(truth)) with { Policies = game.Roles.ToDictionary(r => r.Name, _ => self) };
        var debaters = await factory.Create(game.Scoring[1]).ScoreAsync(context, CancellationToken.None);

        Assert.Equal(("judge", 1.0, true), (right.Role, right.Value, right.Grounded));
        Assert.Equal(0.0, wrong.Value);
        Assert.All(debaters, r => Assert.False(r.Grounded));
        Assert.Equal(1.0, debaters.Single(r => r.Role == (truth == "A" ? "debater_a" : "debater_b")).Value);
        Assert.Equal(16, ((ListTaskSource)game.Tasks!).Items.Count);
        Assert.Equal(8, ((ListTaskSource)game.Tasks!).Items.Count(i => i.Answer == "A")); // the true side is balanced
    }

    private static GameDefinition Load(string fileName) =>
        GameValidator.Load(File.ReadAllText(Path.Combine(GamesDirectory(), fileName)));

    private static IReadOnlyList<ScoreResult> Score(IScorer scorer, GameDefinition game, GameTask task, params (string Role, string Text)[] turns) =>
        scorer.ScoreAsync(Scoring.ScoringKit.Context(game, task, turns), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    internal static string GamesDirectory() => TestModels.GamesDirectory;
}
