// Every game shipped in games/ must load (parse + validate) and be playable by the task and scorer factories.
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

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
            new HashSet<string?> { "arithmetic-solo", "explorer-critic-arithmetic", "story-continuation", "two-role-dialogue" },
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
        Assert.All(game.Scoring, s => new ScorerFactory().Create(s));
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

    private static GameDefinition Load(string fileName) =>
        GameValidator.Load(File.ReadAllText(Path.Combine(GamesDirectory(), fileName)));

    private static IReadOnlyList<ScoreResult> Score(IScorer scorer, GameDefinition game, GameTask task, params (string Role, string Text)[] turns) =>
        scorer.ScoreAsync(Scoring.ScoringKit.Context(game, task, turns), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>games/ at the repository root.</summary>
    internal static string GamesDirectory() => Path.Combine(TestModels.RepositoryRoot(), "games");
}
