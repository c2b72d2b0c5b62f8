// A campaign generation's evaluation step: plays each configured held-out suite with the policy the generation
// is judged by (the one it trained, else the one it played) and, for the meta-critic's promote/rollback
// comparison, with its parent where the parent has no stored result for that suite yet. Each finished
// (policy, suite) is stored at once as an EvaluationResult of the generation, so a resumed step plays only what
// is missing. Every policy plays the same tasks (same suite seed and count), so the comparison is paired.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;

namespace Socratic.Core.Evaluation;

/// <param name="Role">"trained" (the generation's new policy, or the one it played when nothing was trained) or "parent".</param>
public sealed record EvaluationTarget(long PolicyId, string Role, string Suite);

/// <param name="Done">Targets finished (stored) so far, of <paramref name="Total"/>.</param>
/// <param name="Current">The target being played, with its finished tasks; null between targets.</param>
public sealed record EvaluationProgress(int Done, int Total, EvaluationTarget? Current, int TasksDone, int TasksTotal);

public static class GenerationEvaluation
{
    /// <summary>How often the progress callback hears about a suite in play.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>Every (policy, suite) the step covers; <see cref="EvaluateAsync"/> plays those without a stored result.</summary>
    public static async Task<IReadOnlyList<EvaluationTarget>> TargetsAsync(SocraticDbContext db, Generation generation, IReadOnlyList<string> suites, CancellationToken ct)
    {
        var (policyId, parentId) = await MetaCriticService.PoliciesAsync(db, generation, ct);
        var targets = suites.Select(s => new EvaluationTarget(policyId, "trained", s)).ToList();
        if (parentId is { } parent)
        {
            targets.AddRange(suites.Select(s => new EvaluationTarget(parent, "parent", s)));
        }

        return targets;
    }

    /// <summary>Plays the missing targets of a generation and stores each result; returns all targets with their latest result.</summary>
    public static async Task<IReadOnlyList<(EvaluationTarget Target, EvaluationResult Result)>> EvaluateAsync(
        SocraticDbContext db, EvaluationRunner runner, Generation generation, CampaignConfig config, int concurrency, TimeProvider time,
        Func<EvaluationProgress, Task> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(progress);
        var suites = config.EvalSuites.Select(name => EvaluationSuites.Find(name) ?? throw new InvalidOperationException(
            $"unknown evaluation suite '{name}'; suites: {string.Join(", ", EvaluationSuites.All.Select(s => s.Name))}")).ToList();
        var targets = await TargetsAsync(db, generation, [.. suites.Select(s => s.Name)], ct);
        var done = 0;
        foreach (var target in targets)
        {
            if (await LatestAsync(db, target, ct) is not null)
            {
                done++;
                continue;
            }

            var policy = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == target.PolicyId, ct);
            var suite = suites.First(s => s.Name == target.Suite);
            var tasks = 0;
            await progress(new EvaluationProgress(done, targets.Count, target, 0, config.EvalTasks));
            var play = runner.RunAsync(
                suite, policy.ToSpec(), config.EvalTasks, config.EvalSeed, Math.Clamp(concurrency, 1, config.EvalTasks), () => Interlocked.Increment(ref tasks), ct);
            while (await Task.WhenAny(play, Task.Delay(ProgressInterval, ct)) != play)
            {
                await progress(new EvaluationProgress(done, targets.Count, target, Volatile.Read(ref tasks), config.EvalTasks));
            }

            await EvaluationRunner.StoreAsync(db, target.PolicyId, await play, time, ct, generation.Id);
            done++;
        }

        await progress(new EvaluationProgress(done, targets.Count, null, 0, 0));
        var results = new List<(EvaluationTarget, EvaluationResult)>();
        foreach (var target in targets)
        {
            results.Add((target, (await LatestAsync(db, target, ct))!));
        }

        return results;
    }

    private static Task<EvaluationResult?> LatestAsync(SocraticDbContext db, EvaluationTarget target, CancellationToken ct) =>
        db.EvaluationResults.AsNoTracking().Where(r => r.PolicyId == target.PolicyId && r.Suite == target.Suite)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
}
