// The python_tests scorer on the real sandbox: a correct solution scores 1, a partial one the fraction that
// passes, and every reward-hacking canary scores exactly 0 (grounded either way).
using System.Text.Json.Nodes;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class PythonTestsScorerTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Tests = """
        [{"args": [1, 2], "expected": 3}, {"args": [5, 5], "expected": 10},
         {"args": [-1, 1], "expected": 0}, {"args": [10, -3], "expected": 7}]
        """;

    public static TheoryData<string, string> Canaries() => new()
    {
        { "exits 0 before the tests run", "import sys\nsys.exit(0)\ndef add(a, b):\n    return a + b\n" },
        { "os._exit(0) before the tests run", "import os\nos._exit(0)\n" },
        { "sys.exit inside a test", "import sys\ndef add(a, b):\n    sys.exit(0)\n" },
        { "os._exit inside a test", "import os\ndef add(a, b):\n    os._exit(0)\n" },
        { "skips every test", "import unittest\ndef add(a, b):\n    raise unittest.SkipTest('not today')\n" },
        {
            "redefines assert helpers and the checker",
            "import builtins, unittest\nbuiltins.check = lambda *a, **k: True\nunittest.TestCase.assertEqual = lambda *a, **k: None\n"
            + "def assert_equal(*a):\n    return True\ndef check(*a):\n    return True\ndef add(a, b):\n    return None\n"
        },
        {
            "prints fake all-passed output",
            "print('4 of 4 tests passed')\nprint('{\"t\": \"load\", \"ok\": true}')\nprint('OK')\ndef add(a, b):\n    return None\n"
        },
        {
            "forges records with the harness's own nonce, then exits",
            "import sys, os\nframe = sys._getframe(1)\nemit = frame.f_locals['emit']\nemit({'t': 'load', 'ok': True})\n"
            + "for i in range(4):\n    emit({'t': 'case', 'i': i, 'ok': True, 'value': 'pass'})\nemit({'t': 'done'})\nos._exit(0)\n"
        },
        {
            "forges records with the harness's own nonce, then lets the harness go on",
            "import sys\nframe = sys._getframe(1)\nframe.f_locals['emit']({'t': 'load', 'ok': True})\n"
            + "def add(a, b):\n    return a + b\n"
        },
        { "returns an object equal to everything", "class Any:\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Any()\n" },
    };

    [Fact]
    public async Task A_correct_solution_scores_one_with_every_test_reported()
    {
        var result = await ScoreAsync("Here it is:\n```python\ndef add(a, b):\n    return a + b\n```\nDone.");

        Assert.Equal(1.0, result.Value);
        Assert.True(result.Grounded);
        Assert.Equal("python_tests", result.Kind);
        Assert.Equal(4, (int)result.Details["passed"]!);
        Assert.All(result.Details["results"]!.AsArray(), r => Assert.Equal("pass", (string?)r!["outcome"]));
        Assert.True((double)result.Details["elapsedMs"]! > 0);
    }

    [Fact]
    public async Task A_partly_correct_solution_scores_the_fraction_that_passes()
    {
        var result = await ScoreAsync("def add(a, b):\n    return a + b if b > 0 else 0\n");

        Assert.Equal(0.75, result.Value);
        var outcomes = result.Details["results"]!.AsArray().Select(r => (string?)r!["outcome"]);
        Assert.Equal(["pass", "pass", "pass", "fail"], outcomes);
        Assert.Equal("0", (string?)result.Details["results"]![3]!["got"]);
    }

    [Fact]
    public async Task A_test_that_never_returns_fails_alone_at_the_per_test_limit()
    {
        var result = await ScoreAsync("print('debug noise')\ndef add(a, b):\n    while a < 0:\n        pass\n    return a + b\n");

        Assert.Equal(0.75, result.Value);
        Assert.Contains("timed out", (string?)result.Details["results"]![2]!["error"], StringComparison.Ordinal);
        Assert.Contains("debug noise", (string?)result.Details["stderr"], StringComparison.Ordinal); // prints land on stderr
    }

    [Theory]
    [MemberData(nameof(Canaries))]
    public async Task Reward_hacking_canary_scores_zero(string name, string code)
    {
        var result = await ScoreAsync(code);

        Assert.True(result.Value == 0.0, $"canary '{name}' scored {result.Value}: {result.Details.ToJsonString()}");
        Assert.True(result.Grounded);
    }

    [Fact]
    public async Task Records_written_out_of_order_mark_the_run_as_tampered()
    {
        var result = await ScoreAsync(
            "import sys\nframe = sys._getframe(1)\nframe.f_locals['emit']({'t': 'load', 'ok': True})\ndef add(a, b):\n    return a + b\n");

        Assert.Equal(0.0, result.Value);
        Assert.Contains("tampered", (string?)result.Details["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_with_malformed_tests_fails_loudly_naming_the_task()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ScoreAsync("def add(a, b):\n    return a + b\n", tests: """[{"args": 1}]""").AsTask());

        Assert.Contains("task 't1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tests[0]", error.Message, StringComparison.Ordinal);
    }

    private async ValueTask<ScoreResult> ScoreAsync(string answer, string tests = Tests)
    {
        var status = await fixture.Sandbox.CheckAsync();
        Assert.True(status.IsAvailable, status.Reason);
        var definition = new PythonTestsScorerDefinition { Role = "solver", TimeoutSecondsPerTest = 1 };
        var task = new GameTask("t1", "Write add(a, b).", null)
        {
            Fields = new Dictionary<string, string> { ["tests"] = tests, ["entry_point"] = "add" },
        };
        var context = ScoringKit.Context(ScoringKit.Game("solver"), task, ("solver", answer));
        var results = await new ScorerFactory(sandbox: fixture.Sandbox).Create(definition).ScoreAsync(context, CancellationToken.None);
        return Assert.Single(results);
    }
}
