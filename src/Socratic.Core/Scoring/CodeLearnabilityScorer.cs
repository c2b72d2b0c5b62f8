// code_learnability: scores a proposer–solver code episode (see CodeLearnabilityScorerDefinition). The
// examiner's turn is model output, so everything in it is checked: its tests must parse and be few enough, its
// reference must pass them in the sandbox, and only then do solver attempts count. All scores are grounded:
// validity and solving are decided by running code, the learnability reward is arithmetic on those outcomes.
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

public sealed partial class CodeLearnabilityScorer(CodeLearnabilityScorerDefinition definition, PythonSandbox sandbox) : IScorer
{
    private const string Kind = "code_learnability";

    [GeneratedRegex(@"```[ \t]*json[ \t]*\r?\n(.*?)(?:```|\z)", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex JsonFence();

    [GeneratedRegex(@"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", RegexOptions.Multiline | RegexOptions.CultureInvariant, 250)]
    private static partial Regex FirstDef();

    public async ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ScorerFactory.ScorerName(definition);
        var examiner = definition.Role ?? ""; // validation requires it
        var task = new JsonObject { ["kind"] = Kind, ["examiner"] = examiner };
        var (tests, entryPoint, reference, invalid) = ParseTask(LastTurn(context, examiner), task);
        if (invalid is null)
        {
            var check = new JsonObject();
            var referenceValue = await PythonTestRunner.RunAsync(sandbox, reference!, entryPoint!, tests!, definition.TimeoutSecondsPerTest, check, cancellationToken);
            task["referenceRun"] = check;
            invalid = referenceValue < 1.0 ? $"the reference solution fails its own tests ({check["reason"]})" : null;
        }

        if (invalid is not null)
        {
            task["valid"] = false;
            task["reason"] = $"invalid task: {invalid}";
            return [.. definition.ProposerRoles.Select(r => Result(r, name, 0.0, task))];
        }

        var attempts = await Task.WhenAll(definition.SolverRoles.Select(async role =>
        {
            var details = new JsonObject { ["kind"] = Kind, ["role"] = role };
            var text = LastTurn(context, role);
            var value = text is null
                ? Fail(details, $"role '{role}' never spoke")
                : await PythonTestRunner.RunAsync(sandbox, CodeExtractor.Extract(text, entryPoint!), entryPoint!, tests!, definition.TimeoutSecondsPerTest, details, cancellationToken);
            return Result(role, name, value, details);
        }));

        var solved = attempts.Count(a => a.Value >= 1.0);
        var p = attempts.Length == 0 ? 0.0 : (double)solved / attempts.Length;
        var reward = 1.0 - Math.Abs((2 * p) - 1);
        task["valid"] = true;
        task["solved"] = solved;
        task["solvers"] = attempts.Length;
        task["solveRate"] = p;
        task["reason"] = string.Create(CultureInfo.InvariantCulture, $"{solved} of {attempts.Length} solvers passed every test; learnability 1 - |2p - 1| = {reward:0.###}");
        return [.. definition.ProposerRoles.Select(r => Result(r, name, reward, task)), .. attempts];
    }

    /// <summary>Tests, entry point and reference from the examiner's turn, or why the task is invalid.</summary>
    private (IReadOnlyList<HiddenTest>? Tests, string? EntryPoint, string? Reference, string? Invalid) ParseTask(string? text, JsonObject details)
    {
        if (text is null)
        {
            return (null, null, null, "the examiner never spoke");
        }

        try
        {
            var json = JsonFence().Matches(text).LastOrDefault();
            if (json is null)
            {
                return (null, null, null, "no ```json block with the tests");
            }

            var withoutTests = text.Remove(json.Index, json.Length);
            var reference = CodeExtractor.Extract(withoutTests, FirstDef().Match(withoutTests) is { Success: true } d ? d.Groups[1].Value : "");
            var entry = FirstDef().Match(reference);
            if (!entry.Success)
            {
                return (null, null, null, "no reference function (a ```python block with a def)");
            }

            details["entryPoint"] = entry.Groups[1].Value;
            var tests = HiddenTests.Parse(json.Groups[1].Value);
            details["tests"] = tests.Count;
            return tests.Count < definition.MinTests || tests.Count > definition.MaxTests
                ? (null, null, null, $"{tests.Count} tests; between {definition.MinTests} and {definition.MaxTests} are required")
                : (tests, entry.Groups[1].Value, reference, null);
        }
        catch (FormatException e)
        {
            return (null, null, null, e.Message);
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, null, null, "the examiner's turn could not be parsed in time");
        }
    }

    private static string? LastTurn(ScoringContext context, string role) =>
        context.Turns.LastOrDefault(t => string.Equals(t.Role, role, StringComparison.Ordinal))?.Text;

    private static ScoreResult Result(string role, string name, double value, JsonObject details)
    {
        var copy = (JsonObject)details.DeepClone();
        copy["role"] = role;
        copy["value"] = value;
        return new ScoreResult(role, name, Kind, value, Grounded: true) { Details = copy };
    }

    private static double Fail(JsonObject details, string reason)
    {
        details["reason"] = reason;
        return 0.0;
    }
}
