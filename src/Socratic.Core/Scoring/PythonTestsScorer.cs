// python_tests: runs the scored role's code against the task's hidden tests in the PythonSandbox and scores
// the fraction that pass (grounded). Reward hacking is defeated by construction: the expected values never
// enter the sandbox (the harness reports return values; the host compares), records must carry this run's
// random nonce and arrive in the harness's exact order, and the count of tests is the task's, not the run's.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

public sealed class PythonTestsScorer(PythonTestsScorerDefinition definition, PythonSandbox sandbox, TimeSpan? regexTimeout = null)
    : GroundedScorer<PythonTestsScorerDefinition>(definition, regexTimeout)
{
    /// <summary>Longest return value (as JSON) the harness reports; longer ones fail their test.</summary>
    public const int MaxValueChars = 100_000;

    private static readonly Lazy<string> Harness = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Socratic.Core.Scoring.python_tests_harness.py")
            ?? throw new InvalidOperationException("the python_tests harness is not embedded in Socratic.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    protected override async ValueTask<double> CompareAsync(string answer, ScoringContext context, JsonObject details, CancellationToken cancellationToken)
    {
        var entryPoint = RenderExpected(Definition.EntryPoint, context).Trim();
        IReadOnlyList<HiddenTest> tests;
        try
        {
            tests = HiddenTests.Parse(RenderExpected(Definition.Tests, context));
        }
        catch (FormatException e)
        {
            // A broken task is the game's fault, not the model's: fail the episode loudly instead of scoring 0.
            throw new InvalidOperationException($"task '{context.Task.Id}': {e.Message}", e);
        }

        var code = CodeExtractor.Extract(answer, entryPoint);
        details["entryPoint"] = entryPoint;
        details["code"] = Truncate(code);
        details["tests"] = tests.Count;

        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var request = new JsonObject
        {
            ["nonce"] = nonce,
            ["entryPoint"] = entryPoint,
            ["cases"] = new JsonArray([.. tests.Select(t => t.Args.DeepClone())]),
            ["perTestSeconds"] = Definition.TimeoutSecondsPerTest,
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
        if (report.Tampered is { } why)
        {
            details["passed"] = 0;
            return Fail(details, $"the result channel was tampered with: {why}");
        }

        if (!report.Loaded)
        {
            details["passed"] = 0;
            return Fail(details, report.LoadError is { } e ? $"the code did not load: {e}" : LostReason(run, "before loading"));
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
        var value = (double)passed / tests.Count;
        details["reason"] = report.Cases.Count < tests.Count
            ? LostReason(run, $"after {report.Cases.Count.ToString(CultureInfo.InvariantCulture)} of {tests.Count.ToString(CultureInfo.InvariantCulture)} tests")
            : $"{passed.ToString(CultureInfo.InvariantCulture)} of {tests.Count.ToString(CultureInfo.InvariantCulture)} tests passed";
        return value;
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
}
