// python_tests: runs the scored role's code against the task's hidden tests in the PythonSandbox and scores
// the fraction that pass (grounded). Reward hacking is defeated by construction: the expected values never
// enter the sandbox (the harness reports return values; the host compares), records must carry this run's
// random nonce and arrive in the harness's exact order, and the count of tests is the task's, not the run's.
using System.Text.Json.Nodes;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

public sealed class PythonTestsScorer(PythonTestsScorerDefinition definition, PythonSandbox sandbox, TimeSpan? regexTimeout = null)
    : GroundedScorer<PythonTestsScorerDefinition>(definition, regexTimeout)
{
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

        return await PythonTestRunner.RunAsync(
            sandbox, CodeExtractor.Extract(answer, entryPoint), entryPoint, tests, Definition.TimeoutSecondsPerTest, details, cancellationToken);
    }
}
