// The evaluation runner's bookkeeping with scripted solvers (deterministic stand-ins that read the problem from
// the prompt): a solver that computes every answer scores 1.0, one that is always off by one scores 0, the
// interval is the Wilson interval of the count, and the same seed plays the same held-out tasks.
using System.Globalization;
using System.Text.RegularExpressions;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Evaluation;

public sealed partial class EvaluationRunnerTests
{
    private static readonly EvaluationSuite Arithmetic = EvaluationSuites.Find("arithmetic-heldout")!;

    // Reads "What is 3 + 4 * 2?" from the prompt and answers with the exact value plus an offset.
    private static ScriptedPolicy Solver(int offset) => new(m =>
    {
        var expression = Expression().Match(m[^1].Content).Groups[1].Value;
        var tokens = expression.Split(' ');
        var operands = tokens.Where((_, i) => i % 2 == 0).Select(t => long.Parse(t.Trim('(', ')'), CultureInfo.InvariantCulture)).ToList();
        var operators = tokens.Where((_, i) => i % 2 == 1).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"Working it out.\nAnswer: {ArithmeticTaskGenerator.Evaluate(operands, operators) + offset}");
    });

    [Fact]
    public async Task A_solver_that_is_always_right_scores_1_and_one_that_is_off_by_one_scores_0()
    {
        var spec = new PolicySpec("scripted.gguf");

        var right = await new EvaluationRunner(Solver(0)).RunAsync(Arithmetic, spec, 30, 0, 4, null, CancellationToken.None);
        var wrong = await new EvaluationRunner(Solver(1)).RunAsync(Arithmetic, spec, 30, 0, 4, null, CancellationToken.None);

        Assert.Equal((30, 30, 1.0), (right.Count, right.Correct, right.Accuracy));
        Assert.Equal(Proportions.Wilson(30, 30), right.Interval);
        Assert.Equal((0, 0.0), (wrong.Correct, wrong.Accuracy));
        Assert.All(wrong.Items, i => Assert.Equal("different number", i.Reason));
    }

    [Fact]
    public async Task The_same_seed_plays_the_same_held_out_tasks_and_another_seed_other_ones()
    {
        var spec = new PolicySpec("scripted.gguf");
        var progress = 0;

        var first = await new EvaluationRunner(Solver(0)).RunAsync(Arithmetic, spec, 10, 7, 2, () => Interlocked.Increment(ref progress), CancellationToken.None);
        var again = await new EvaluationRunner(Solver(0)).RunAsync(Arithmetic, spec, 10, 7, 1, null, CancellationToken.None);
        var other = await new EvaluationRunner(Solver(0)).RunAsync(Arithmetic, spec, 10, 8, 1, null, CancellationToken.None);

        Assert.Equal(10, progress);
        Assert.Equal(first.Items.Select(i => i.TaskId), again.Items.Select(i => i.TaskId));
        Assert.NotEqual(first.Items.Select(i => i.TaskId), other.Items.Select(i => i.TaskId));
    }

    [GeneratedRegex(@"What is (.+)\?")]
    private static partial Regex Expression();
}
