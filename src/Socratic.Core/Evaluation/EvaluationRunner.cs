// Plays an evaluation suite with one policy through the ordinary engine and reports accuracy with its 95%
// Wilson interval. Deterministic for (suite, policy, count, seed): the suite seed is salted with the suite's
// name, tasks are drawn from the held-out partition, and play is greedy. StoreAsync records the result
// against a stored policy, which is what the meta-critic and dashboards compare generations with.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;

namespace Socratic.Core.Evaluation;

/// <param name="Reason">The grounded scorer's reason ("equal within tolerance", "no answer extracted", …).</param>
public sealed record EvaluationItem(int Index, string TaskId, bool Correct, string? Reason);

public sealed record EvaluationReport(string Suite, PolicySpec Policy, long Seed, IReadOnlyList<EvaluationItem> Items)
{
    public int Count => Items.Count;

    public int Correct => Items.Count(i => i.Correct);

    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>The 95% Wilson interval: suites are small and accuracies sit near 0 or 1, where the normal approximation fails.</summary>
    public (double Low, double High) Interval => Proportions.Wilson(Correct, Count);
}

public sealed class EvaluationRunner(IPolicyProvider policies)
{
    public const int MaxCount = 100_000;

    /// <summary>Plays <paramref name="count"/> held-out tasks; <paramref name="progress"/> is told each finished task.</summary>
    public async Task<EvaluationReport> RunAsync(
        EvaluationSuite suite, PolicySpec policy, int count, long seed, int concurrency, Action? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);

        var engine = new GameEngine(policies, new ScorerFactory(policies));
        var source = suite.CreateTaskSource();
        var suiteSeed = SuiteSeed(suite.Name, seed);
        var roles = suite.Game.Roles.ToDictionary(r => r.Name, _ => policy);
        var items = new ConcurrentDictionary<int, EvaluationItem>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var episodeSeed = Seeds.Episode(suiteSeed, index);
                var task = source.Draw(index, episodeSeed);
                var result = await engine.PlayAsync(new EpisodePlan(suite.Game, task, roles, episodeSeed), null, ct);
                var score = result.Scores.FirstOrDefault(s => s.Role == EvaluationSuite.Role && s.Grounded);
                items[index] = new EvaluationItem(index, task.Id, score is { Value: >= 1.0 }, (string?)score?.Details["reason"]);
                progress?.Invoke();
            });

        return new EvaluationReport(suite.Name, policy, seed, [.. items.Values.OrderBy(i => i.Index)]);
    }

    /// <summary>The seed a suite's tasks derive from: the user's seed salted with the suite name, so two suites
    /// run with the same --seed do not share a random stream.</summary>
    public static ulong SuiteSeed(string suite, long seed) =>
        Seeds.Combine(Seeds.OfText($"socratic/eval/{suite}"), seed);

    /// <summary>Stores the report as an EvaluationResult of <paramref name="policyId"/> (of a campaign's
    /// generation when <paramref name="generationId"/> is given).</summary>
    public static async Task<EvaluationResult> StoreAsync(
        SocraticDbContext db, long policyId, EvaluationReport report, TimeProvider time, CancellationToken cancellationToken, long? generationId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(time);
        var (low, high) = report.Interval;
        var details = new JsonObject
        {
            ["seed"] = report.Seed,
            ["model"] = report.Policy.ModelPath,
            ["adapter"] = report.Policy.AdapterPath,
            ["interval"] = "wilson-95",
            ["items"] = new JsonArray([.. report.Items.Select(i => (JsonNode)new JsonObject
            {
                ["task"] = i.TaskId, ["correct"] = i.Correct, ["reason"] = i.Reason,
            })]),
        };
        var row = new EvaluationResult
        {
            PolicyId = policyId,
            GenerationId = generationId,
            Suite = report.Suite,
            Count = report.Count,
            Correct = report.Correct,
            Accuracy = report.Accuracy,
            CiLow = low,
            CiHigh = high,
            Details = details.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
            CreatedAt = time.GetUtcNow(),
        };
        db.EvaluationResults.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }
}
