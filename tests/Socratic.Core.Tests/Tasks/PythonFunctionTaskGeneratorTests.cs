// Python function synthesis tasks: deterministic for (index, seed), varied, and checkable — every family's
// reference solution passes its own hidden tests when run for real in the sandbox.
using System.Text.Json.Nodes;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Sandbox;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Tasks;

[Collection(Sandbox.SandboxCollection.Name)]
public sealed class PythonFunctionTaskGeneratorTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static TheoryData<string> Families() => [.. PythonFunctionFamilies.Names];

    [Fact]
    public void The_same_index_and_seed_give_the_same_task_and_others_differ()
    {
        var source = new PythonFunctionTaskGenerator(new PythonFunctionTaskSource());

        var a = source.Draw(3, 42);
        var b = source.Draw(3, 42);
        var tasks = Enumerable.Range(0, 40).Select(i => source.Draw(i, 42)).ToList();

        Assert.Equal(a.Prompt, b.Prompt);
        Assert.Equal(a.Fields["tests"], b.Fields["tests"]);
        Assert.True(tasks.Select(t => t.Fields["family"]).Distinct().Count() >= 5);
        Assert.True(tasks.Select(t => t.Prompt).Distinct().Count() >= 35);
    }

    [Fact]
    public void The_prompt_shows_one_example_and_hides_the_tests()
    {
        var task = new PythonFunctionTaskGenerator(new PythonFunctionTaskSource { Tests = 4 }).Draw(0, 7);
        var tests = HiddenTests.Parse(task.Fields["tests"]);

        Assert.Equal(4, tests.Count);
        Assert.Contains($"def {task.Fields["entry_point"]}(", task.Prompt, StringComparison.Ordinal);
        Assert.Contains("Example: ", task.Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(task.Fields["tests"], task.Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(task.Answer!, task.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_family_is_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new PythonFunctionTaskGenerator(new PythonFunctionTaskSource { Families = ["sort_hat"] }));

        Assert.Contains("sort_hat", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task The_reference_solution_passes_its_hidden_tests_and_a_wrong_one_does_not(string family)
    {
        var source = new PythonFunctionTaskGenerator(new PythonFunctionTaskSource { Families = [family], Tests = 8 });
        var task = source.Draw(1, 2024);
        var scorer = new ScorerFactory(sandbox: fixture.Sandbox).Create(new PythonTestsScorerDefinition { Role = "coder" });

        var right = await ScoreAsync(scorer, task, $"```python\n{task.Answer}```");
        var wrong = await ScoreAsync(scorer, task, $"def {task.Fields["entry_point"]}(*args):\n    return None\n");

        Assert.True(right.Value == 1.0, right.Details.ToJsonString());
        Assert.Equal(0.0, wrong.Value);
    }

    private static async Task<ScoreResult> ScoreAsync(IScorer scorer, GameTask task, string answer)
    {
        var context = ScoringKit.Context(ScoringKit.Game("coder"), task, ("coder", answer));
        return Assert.Single(await scorer.ScoreAsync(context, CancellationToken.None));
    }
}
