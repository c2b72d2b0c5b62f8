// Runs code against tests in the sandbox and turns the harness's report into a score in [0, 1] plus details
// (per-test outcome, code, stdout/stderr tails, timing). Shared by python_tests and the proposer-solver
// learnability scorer. The expected values stay here on the host; only the arguments enter the sandbox.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

public static class PythonTestRunner
{
    /// <summary>Longest return value (as JSON) the harness reports; longer ones fail their test.</summary>
    public const int MaxValueChars = 100_000;

    private const int MaxDetailChars = GroundedScorer<PythonTestsScorerDefinition>.MaxDetailChars;

    private static readonly Lazy<string> Harness = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Socratic.Core.Scoring.python_tests_harness.py")
            ?? throw new InvalidOperationException("the python_tests harness is not embedded in Socratic.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The fraction of <paramref name="tests"/> passed; "reason", "passed", "results" and the run's facts go into <paramref name="details"/>.</summary>
    public static async Task<double> RunAsync(
        PythonSandbox sandbox, string code, string entryPoint, IReadOnlyList<HiddenTest> tests, double perTestSeconds, JsonObject details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(tests);
        ArgumentNullException.ThrowIfNull(details);
        details["entryPoint"] = entryPoint;
        details["code"] = Truncate(code);
        details["tests"] = tests.Count;

        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var request = new JsonObject
        {
            ["nonce"] = nonce,
            ["entryPoint"] = entryPoint,
            ["cases"] = new JsonArray([.. tests.Select(t => t.Args.DeepClone())]),
            ["perTestSeconds"] = perTestSeconds,
            ["maxValueChars"] = MaxValueChars,
        };
        var clock = Stopwatch.StartNew();
        var run = await sandbox.RunAsync(
            new SandboxRequest("harness.py", new Dictionary<string, string> { ["harness.py"] = Harness.Value, ["solution.py"] = code },
                request.ToJsonString() + "\n"),
            cancellationToken);

        var report = HarnessReport.Parse(run.Stdout, nonce, tests.Count);
        details["exitCode"] = run.ExitCode;
        details["timedOut"] = run.TimedOut;
        details["elapsedMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        details["stdout"] = Tail(run.Stdout, run.StdoutTruncated, report.StrayLines > 0);
        details["stderr"] = Tail(run.Stderr, run.StderrTruncated, true);
        return Judge(tests, report, run, details);
    }

    private static double Judge(IReadOnlyList<HiddenTest> tests, HarnessReport report, SandboxResult run, JsonObject details)
    {
        details["passed"] = 0;
        if (report.Tampered is { } why)
        {
            details["reason"] = $"the result channel was tampered with: {why}";
            return 0;
        }

        if (!report.Loaded)
        {
            details["reason"] = report.LoadError is { } e ? $"the code did not load: {e}" : LostReason(run, "before loading");
            return 0;
        }

        var outcomes = new JsonArray();
        var passed = 0;
        for (var i = 0; i < tests.Count; i++)
        {
            var outcome = new JsonObject { ["index"] = i };
            if (i >= report.Cases.Count)
            {
                outcome["outcome"] = "missing";
            }
            else
            {
                var c = report.Cases[i];
                outcome["ms"] = c.Milliseconds;
                var pass = c.Ok && HiddenTests.Same(c.Value, tests[i].Expected);
                passed += pass ? 1 : 0;
                outcome["outcome"] = pass ? "pass" : c.Ok ? "fail" : "error";
                if (!c.Ok)
                {
                    outcome["error"] = c.Error;
                }
                else if (!pass)
                {
                    outcome["got"] = Truncate(c.Value?.ToJsonString() ?? "null");
                }
            }

            outcomes.Add(outcome);
        }

        details["passed"] = passed;
        details["results"] = outcomes;
        details["reason"] = report.Cases.Count < tests.Count
            ? LostReason(run, $"after {report.Cases.Count.ToString(CultureInfo.InvariantCulture)} of {tests.Count.ToString(CultureInfo.InvariantCulture)} tests")
            : $"{passed.ToString(CultureInfo.InvariantCulture)} of {tests.Count.ToString(CultureInfo.InvariantCulture)} tests passed";
        return (double)passed / tests.Count;
    }

    private static string LostReason(SandboxResult run, string when) =>
        run.TimedOut ? $"the run hit the wall-clock limit {when}"
        : run.StdoutTruncated ? $"the output limit was exceeded {when}"
        : $"the code ended the run (exit {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}) {when}";

    private static string? Tail(string text, bool truncated, bool keep)
    {
        if (!keep || text.Length == 0)
        {
            return null;
        }

        var tail = text.Length <= MaxDetailChars ? text : "…" + text[^MaxDetailChars..];
        return truncated ? tail + "\n[output truncated]" : tail;
    }

    private static string Truncate(string text) => text.Length <= MaxDetailChars ? text : text[..MaxDetailChars] + "…";
}
