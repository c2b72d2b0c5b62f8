// `socratic eval` end to end on the shared stories260K model: it lists suites, plays a held-out suite through
// the real runtime and prints accuracy with its Wilson interval, stores an EvaluationResult for a stored policy
// in a real PostgreSQL database, and refuses bad input with a message that names it.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Cli.Evaluation;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Training.Tests.Cli;

namespace Socratic.Web.Tests.Evaluation;

[Collection(PostgresCollection.Name)]
public sealed class EvalCommandTests(PostgresFixture postgres)
{
    private static readonly string[] Fast = ["--count", "4", "--concurrency", "4", "--threads", "1"];

    [Fact]
    public void Lists_every_suite()
    {
        var (code, output) = Run("eval", "--list");

        Assert.Equal(0, code);
        Assert.All(EvaluationSuites.All, s => Assert.Contains(s.Name, output, StringComparison.Ordinal));
    }

    [Fact]
    public void Plays_a_suite_on_a_model_file_and_prints_accuracy_with_a_95_percent_interval()
    {
        var (code, output) = Run(["eval", "--model", Core.Tests.TestModels.Stories260K, "--suite", "string-transforms-heldout", .. Fast]);

        Assert.True(code == 0, output);
        Assert.Matches(@"string-transforms-heldout: accuracy \d\.\d{3} \(\d/4\), 95% CI \[\d\.\d{3}, \d\.\d{3}\]", output);
        Assert.DoesNotContain("stored evaluation", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluating_a_stored_policy_stores_a_result_row_with_its_interval()
    {
        var database = await postgres.CreateDatabaseAsync("eval_cli");
        await SocraticDb.MigrateAsync(database, CancellationToken.None);
        long policyId;
        await using (var db = new SocraticDbContext(SocraticDb.Options(database)))
        {
            policyId = (await PolicyRegistry.EnsureBaseModelAsync(db, Core.Tests.TestModels.Stories260K, "chatml", TimeProvider.System, CancellationToken.None)).Id;
        }

        var (code, output) = Run(["eval", "--policy", policyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--suite", "arithmetic-heldout", "--db", database, .. Fast]);

        Assert.True(code == 0, output);
        Assert.Contains($"for policy {policyId}", output, StringComparison.Ordinal);
        await using var check = new SocraticDbContext(SocraticDb.Options(database));
        var row = await check.EvaluationResults.SingleAsync();
        Assert.Equal((policyId, "arithmetic-heldout", 4), (row.PolicyId, row.Suite, row.Count));
        Assert.Equal((double)row.Correct / row.Count, row.Accuracy);
        Assert.Equal(Proportions.Wilson(row.Correct, row.Count), (row.CiLow, row.CiHigh));
        using var details = JsonDocument.Parse(row.Details);
        Assert.Equal(4, details.RootElement.GetProperty("items").GetArrayLength());
        Assert.All(details.RootElement.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("arithmetic-", i.GetProperty("task").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_seed_gives_the_same_tasks_and_the_same_result()
    {
        var first = Run(["eval", "--model", Core.Tests.TestModels.Stories260K, "--suite", "word-problems-heldout", "--seed", "3", .. Fast]);
        var second = Run(["eval", "--model", Core.Tests.TestModels.Stories260K, "--suite", "word-problems-heldout", "--seed", "3", .. Fast]);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(Result(first.Output), Result(second.Output));
    }

    [Theory]
    [InlineData("eval --suite nope --model MODEL", "Unknown suite 'nope'; suites: arithmetic-heldout")]
    [InlineData("eval --suite arithmetic-heldout", "Give exactly one of --policy ID or --model PATH.")]
    [InlineData("eval --suite arithmetic-heldout --policy 1 --model MODEL", "Give exactly one of --policy ID or --model PATH.")]
    [InlineData("eval --suite arithmetic-heldout --policy 1 --adapter x.gguf", "--adapter applies to --model")]
    [InlineData("eval --suite arithmetic-heldout --model MODEL --count 0", "--count must be between 1 and")]
    [InlineData("eval --suite arithmetic-heldout --model MODEL --adapter missing.gguf", "Adapter file not found")]
    public void Bad_input_is_refused_with_a_message_naming_it(string command, string message)
    {
        var args = command.Replace("MODEL", Core.Tests.TestModels.Stories260K, StringComparison.Ordinal).Split(' ');

        var (code, output) = Run(args);

        Assert.NotEqual(0, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    private static string Result(string output) =>
        output.Split('\n').Single(l => l.Contains("accuracy", StringComparison.Ordinal)).Trim();

    private static (int ExitCode, string Output) Run(params string[] args) => CliRunner.Run(EvaluationCommands.AddEvaluation, args);
}
