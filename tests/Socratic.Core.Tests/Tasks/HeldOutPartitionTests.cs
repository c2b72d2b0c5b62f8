// The held-out split: games never draw a task an evaluation suite can draw, whatever the seed, and suites draw
// only held-out tasks. Checked on the generators' real output, by content, over many seeds.
using Socratic.Core.Evaluation;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Tasks;

public sealed class HeldOutPartitionTests
{
    public static TheoryData<string> Suites()
    {
        var data = new TheoryData<string>();
        foreach (var suite in EvaluationSuites.All)
        {
            data.Add(suite.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Games_with_the_suites_settings_never_draw_a_suite_task(string name)
    {
        var suite = EvaluationSuites.Find(name)!;
        var training = TrainingSource(suite.Game.Tasks!);
        var heldOut = suite.CreateTaskSource();

        var trained = new HashSet<string>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 40; seed++)
        {
            for (var i = 0; i < 50; i++)
            {
                trained.Add(Content(training.Draw(i, seed)));
            }
        }

        var evaluated = Enumerable.Range(0, 500).Select(i => Content(heldOut.Draw(i, EvaluationRunner.SuiteSeed(name, 0)))).ToList();

        Assert.Empty(evaluated.Intersect(trained));
        Assert.True(trained.Count > 1500, $"only {trained.Count} distinct training tasks were drawn");
        Assert.True(evaluated.Distinct().Count() > 450, "the suite's tasks should vary");
    }

    [Fact]
    public void A_small_arithmetic_space_is_split_and_the_two_sides_do_not_meet()
    {
        // "a + b" with a, b in 0..9 has 100 tasks; about one in eight must be held out, and games skip them all.
        var settings = new ArithmeticTaskSource { Min = 0, Max = 9, Terms = 2, Operators = ["+"], ExcludeHeldOut = true };
        var training = new ArithmeticTaskGenerator(settings);
        var heldOut = new ArithmeticTaskGenerator(settings, TaskPartition.HeldOut);

        var trained = Enumerable.Range(0, 5000).Select(i => training.Draw(i, 1).Fields["expression"]).ToHashSet();
        var evaluated = Enumerable.Range(0, 2000).Select(i => heldOut.Draw(i, 2).Fields["expression"]).ToHashSet();

        Assert.Empty(trained.Intersect(evaluated));
        Assert.Equal(100, trained.Count + evaluated.Count);
        Assert.InRange(evaluated.Count, 4, 25);
    }

    [Fact]
    public void Arithmetic_without_the_opt_in_keeps_its_original_stream()
    {
        // Stored runs redraw their tasks on resume; the split must not change what they get.
        var settings = new ArithmeticTaskSource { Min = -20, Max = 20, Terms = 5, Operators = ["+", "-", "*"] };
        var legacy = new ArithmeticTaskGenerator(settings);

        Assert.Equal("What is (-18) + 18 + 8 - (-10) + (-19)?", legacy.Draw(0, 1).Prompt);
    }

    [Fact]
    public void Membership_is_a_fixed_function_of_kind_and_content()
    {
        Assert.Equal(HeldOutPartition.Contains("arithmetic", "3 + 4"), HeldOutPartition.Contains("arithmetic", "3 + 4"));
        var share = Enumerable.Range(0, 8000).Count(i => HeldOutPartition.Contains("test", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.InRange(share, 850, 1150); // one in eight
    }

    private static ITaskSource TrainingSource(TaskSourceDefinition definition) => definition switch
    {
        ArithmeticTaskSource a => new ArithmeticTaskGenerator(a with { ExcludeHeldOut = true }),
        _ => new TaskSourceFactory().Create(definition),
    };

    private static string Content(GameTask task) =>
        task.Fields.TryGetValue("expression", out var e) ? e
        : task.Fields.TryGetValue("problem", out var p) ? p
        : $"{task.Fields["input"]}|{task.Fields["operations"]}";
}
