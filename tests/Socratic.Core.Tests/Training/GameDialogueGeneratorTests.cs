// The pre-training text generator on the shipped arithmetic games: every example is a role's view as the engine
// builds it, every "Answer:" and verdict it writes is right, and the output depends only on the seed.
using System.Globalization;
using System.Text.RegularExpressions;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Games;
using Socratic.Core.Training;

namespace Socratic.Core.Tests.Training;

public sealed partial class GameDialogueGeneratorTests
{
    private static readonly GameDefinition Solo = Load("arithmetic-solo.json");
    private static readonly GameDefinition Critique = Load("explorer-critic-arithmetic.json");

    private static GameDefinition Load(string file) =>
        GameValidator.Load(File.ReadAllText(Path.Combine(GameFilesTests.GamesDirectory(), file)));

    [GeneratedRegex(@"What is (.+)\?")]
    private static partial Regex Question();

    [GeneratedRegex(@"Answer: (-?\d+)$")]
    private static partial Regex FinalAnswer();

    private static string Expected(string expression)
    {
        var (operands, operators) = GameDialogueGenerator.ParseExpression(expression);
        return ArithmeticTaskGenerator.Evaluate(operands, operators).ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Solo_examples_are_the_engine_view_followed_by_a_correct_final_answer()
    {
        var records = new GameDialogueGenerator([Solo]).Generate(60, seed: 1).ToList();

        Assert.Equal(60, records.Count);
        Assert.Equal(Enumerable.Range(1, 60), records.Select(r => r.LineNumber));
        foreach (var r in records)
        {
            Assert.Equal(["system", "user", "assistant"], r.Messages.Select(m => m.Role));
            Assert.Equal(Solo.Roles[0].Instructions, r.Messages[0].Content);
            var expression = Question().Match(r.Messages[1].Content).Groups[1].Value;
            var answer = FinalAnswer().Match(r.Messages[2].Content);
            Assert.True(answer.Success, r.Messages[2].Content);
            Assert.Equal(Expected(expression), answer.Groups[1].Value);
        }

        // Half the tasks are the easy two-operand kind ("What is 3 + 4?"), the rest the game's own.
        var twoOperands = records.Count(r => Question().Match(r.Messages[1].Content).Groups[1].Value.Split(' ').Length == 3);
        Assert.InRange(twoOperands, 15, 45);
        Assert.Contains(records, r => Question().Match(r.Messages[1].Content).Groups[1].Value.Split(' ').Length == 5);
    }

    [Fact]
    public void Critique_dialogues_give_each_role_its_view_with_right_verdicts_and_a_right_final_answer()
    {
        var records = new GameDialogueGenerator([Critique]).Generate(80, seed: 2).ToList();

        Assert.Equal(160, records.Count); // one example per role per dialogue
        int wrong = 0;
        for (var i = 0; i < records.Count; i += 2)
        {
            var explorer = records[i].Messages;
            var critic = records[i + 1].Messages;
            var expression = Question().Match(explorer[1].Content).Groups[1].Value;
            var expected = Expected(expression);

            // The critic reads the explorer's proposal as "explorer: …" after the opening, as the engine shows it.
            var proposal = explorer[2].Content;
            Assert.Equal($"Problem: What is {expression}?\nexplorer: {proposal}", critic[1].Content);
            var proposed = FinalAnswer().Match(proposal).Groups[1].Value;
            var verdict = critic[^1].Content;
            Assert.Equal("assistant", critic[^1].Role);
            if (proposed == expected)
            {
                Assert.EndsWith("VERDICT: CORRECT", verdict);
                Assert.Equal(["system", "user", "assistant"], explorer.Select(m => m.Role));
            }
            else
            {
                wrong++;
                Assert.EndsWith("VERDICT: WRONG", verdict);
                // The explorer's view goes on with the critic's message and ends with its corrected answer.
                Assert.Equal(["system", "user", "assistant", "user", "assistant"], explorer.Select(m => m.Role));
                Assert.Equal("critic: " + verdict, explorer[3].Content);
                Assert.Equal(expected, FinalAnswer().Match(explorer[4].Content).Groups[1].Value);
            }

            // Views come from the engine's own ConversationView.
            var turns = new[] { proposal, verdict }.Select((text, index) =>
                new TurnRecord(index, index == 0 ? "explorer" : "critic", text, 0, 0, default, default, default, FinishReason.Stop)).ToList();
            var view = ConversationView.Build(Critique, new GameTask("t", $"What is {expression}?", expected), "critic", turns);
            Assert.Equal(view.Select(m => m.Content), critic.Select(m => m.Content));
        }

        Assert.InRange(wrong, 8, 40); // about SlipRate of 80
    }

    [Fact]
    public void Same_seed_gives_the_same_dialogues_and_another_seed_different_ones()
    {
        var generator = new GameDialogueGenerator([Solo, Critique]);
        static string Text(IEnumerable<Socratic.Training.Datasets.ChatRecord> records) =>
            string.Join("\n---\n", records.SelectMany(r => r.Messages.Select(m => m.Role + ": " + m.Content)));

        var a = Text(generator.Generate(30, seed: 5));
        Assert.Equal(a, Text(new GameDialogueGenerator([Solo, Critique]).Generate(30, seed: 5)));
        Assert.NotEqual(a, Text(generator.Generate(30, seed: 6)));
    }

    [Fact]
    public void Worked_steps_do_products_first_and_a_slip_carries_through()
    {
        var steps = GameDialogueGenerator.Solve([7, 3, 4, 2], ["+", "*", "-"]);
        Assert.Equal("3 * 4 = 12\n7 + 12 = 19\n19 - 2 = 17\nAnswer: 17", GameDialogueGenerator.Working(steps));

        var slipped = GameDialogueGenerator.Solve([7, 3, 4, 2], ["+", "*", "-"], slipStep: 0, slipBy: 1);
        Assert.Equal("3 * 4 = 13\n7 + 13 = 20\n20 - 2 = 18\nAnswer: 18", GameDialogueGenerator.Working(slipped));
        Assert.Equal("3 * 4 = 12", Assert.Single(slipped, s => s.IsSlip).Corrected);
    }

    [Fact]
    public void Games_it_cannot_script_are_refused_by_name()
    {
        var story = Load("story-continuation.json");
        var e = Assert.Throws<ArgumentException>(() => new GameDialogueGenerator([Solo, story]));
        Assert.Contains($"game '{story.Name}'", e.Message);
    }

    [Fact]
    public void Carry_rest_working_writes_what_is_left_after_each_step_and_every_step_is_true()
    {
        var sums = Solo with { Tasks = new ArithmeticTaskSource { Min = 0, Max = 9, Terms = 4, Operators = ["+", "-"] } };
        var records = new GameDialogueGenerator([sums], new WorkingOptions(WorkingStyle.CarryRest, EasyShare: 0)).Generate(40, seed: 3).ToList();

        foreach (var r in records)
        {
            var expression = Question().Match(r.Messages[1].Content).Groups[1].Value;
            var lines = r.Messages[2].Content.Split('\n');
            Assert.Equal(4, lines.Length); // three steps, then the answer
            Assert.Equal("Answer: " + Expected(expression), lines[^1]);
            Assert.True(Socratic.Core.Curation.WorkingCheck.NoFalseStep(r.Messages[2].Content), r.Messages[2].Content);

            // Each step but the last names what is left, and the next step starts from exactly that.
            for (var i = 0; i < 2; i++)
            {
                var rest = lines[i][(lines[i].IndexOf(", then ", StringComparison.Ordinal) + ", then ".Length)..];
                Assert.Equal(Expected(expression), Expected(rest)); // what is left still adds up to the answer
                Assert.StartsWith(string.Join(' ', rest.Split(' ').Take(3)) + " = ", lines[i + 1], StringComparison.Ordinal);
            }

            Assert.DoesNotContain(", then", lines[2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Carry_rest_working_refuses_products()
    {
        var products = Solo with { Tasks = new ArithmeticTaskSource { Terms = 3, Operators = ["+", "*"] } };

        var e = Assert.Throws<ArgumentException>(() => new GameDialogueGenerator([products], new WorkingOptions(WorkingStyle.CarryRest)));
        Assert.Contains("products", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_easy_share_of_zero_draws_every_task_from_the_game_itself()
    {
        var sums = Solo with { Tasks = new ArithmeticTaskSource { Min = 0, Max = 9, Terms = 3, Operators = ["+"] } };
        var records = new GameDialogueGenerator([sums], new WorkingOptions(EasyShare: 0)).Generate(50, seed: 4).ToList();

        Assert.All(records, r => Assert.Equal(5, Question().Match(r.Messages[1].Content).Groups[1].Value.Split(' ').Length));
    }
}
