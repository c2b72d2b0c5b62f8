// games/proposer-solver-code.json's code_learnability scorer on scripted turns and the real sandbox: validity
// is decided by running the examiner's reference, solvers by running their code, and the proposer is paid
// most for a task half the solvers solve.
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Games;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class CodeLearnabilityScorerTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Setter = "Write double_all(xs): return a list with every integer of xs doubled. Example: double_all([1, 2]) == [2, 4]";
    private const string Right = "```python\ndef double_all(xs):\n    return [2 * x for x in xs]\n```";
    private const string Wrong = "```python\ndef double_all(xs):\n    return xs\n```";

    private const string Examiner = """
        Reference:
        ```python
        def double_all(xs):
            return [x * 2 for x in xs]
        ```
        ```json
        [{"args": [[1, 2]], "expected": [2, 4]}, {"args": [[]], "expected": []}, {"args": [[-3, 0, 5]], "expected": [-6, 0, 10]}]
        ```
        """;

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(1, 0.5)]
    [InlineData(4, 0.0)]
    [InlineData(0, 0.0)]
    public async Task The_proposer_is_paid_for_tasks_about_half_the_solvers_solve(int solvedBy, double reward)
    {
        var solvers = Enumerable.Range(0, 4).Select(i => i < solvedBy ? Right : Wrong).ToArray();

        var scores = await ScoreAsync(Examiner, solvers);

        Assert.Equal(reward, scores["setter"].Value, 9);
        Assert.Equal(reward, scores["examiner"].Value, 9);
        Assert.Equal(solvedBy, (int)scores["setter"].Details["solved"]!);
        Assert.Equal(solvedBy, new[] { "solver_a", "solver_b", "solver_c", "solver_d" }.Count(r => scores[r].Value == 1.0));
        Assert.All(scores.Values, s => Assert.True(s.Grounded));
    }

    [Fact]
    public async Task A_solver_that_passes_some_tests_scores_the_fraction_but_does_not_count_as_solving()
    {
        var partial = "```python\ndef double_all(xs):\n    return [2 * x for x in xs if x > 0]\n```"; // fails the [-3, 0, 5] test

        var scores = await ScoreAsync(Examiner, [Right, partial, Wrong, Wrong]);

        Assert.True(Math.Abs((2.0 / 3.0) - scores["solver_b"].Value) < 1e-9, scores["solver_b"].Details.ToJsonString());
        Assert.Equal(1, (int)scores["setter"].Details["solved"]!);
    }

    [Fact]
    public async Task A_reference_that_fails_its_own_tests_makes_the_task_invalid_and_scores_nobody_else()
    {
        var broken = Examiner.Replace("[-6, 0, 10]", "[-6, 0, 11]", StringComparison.Ordinal);

        var scores = await ScoreAsync(broken, [Right, Right, Wrong, Wrong]);

        Assert.Equal(["examiner", "setter"], scores.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.0, scores["setter"].Value);
        Assert.Contains("reference solution fails its own tests", (string?)scores["setter"].Details["reason"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no tests here\n```python\ndef f(x):\n    return x\n```", "no ```json block")]
    [InlineData("```json\n[{\"args\": [1], \"expected\": 1}, {\"args\": [2], \"expected\": 2}, {\"args\": [3], \"expected\": 3}]\n```", "no reference function")]
    [InlineData("```python\ndef f(x):\n    return x\n```\n```json\n[{\"args\": [1], \"expected\": 1}]\n```", "1 tests; between 3 and 10")]
    [InlineData("```python\ndef f(x):\n    return x\n```\n```json\n{\"args\": 1}\n```", "tests must be a non-empty JSON list")]
    public async Task A_malformed_examiner_turn_is_an_invalid_task_named_in_the_details(string examiner, string reason)
    {
        var scores = await ScoreAsync(examiner, [Right, Right, Wrong, Wrong]);

        Assert.Equal(0.0, scores["examiner"].Value);
        Assert.Contains(reason, (string?)scores["examiner"].Details["reason"], StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, ScoreResult>> ScoreAsync(string examiner, string[] solvers)
    {
        var game = GameValidator.Load(await File.ReadAllTextAsync(Path.Combine(GameFilesTests.GamesDirectory(), "proposer-solver-code.json")));
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, 1);
        var context = ScoringKit.Context(game, task,
            [("setter", Setter), ("examiner", examiner), ("solver_a", solvers[0]), ("solver_b", solvers[1]), ("solver_c", solvers[2]), ("solver_d", solvers[3])]);
        var scorer = new ScorerFactory(sandbox: fixture.Sandbox).Create(Assert.Single(game.Scoring));
        var results = await scorer.ScoreAsync(context, CancellationToken.None);
        return results.ToDictionary(r => r.Role);
    }
}
