// The campaign's evaluation step over a real PostgreSQL with a scripted policy (it proves the step's bookkeeping,
// not a model's quality; CampaignChainTests plays the step on stories260K): the generation's trained policy and
// its parent play the same held-out tasks, each result is stored with the generation, the meta-critic promotes on
// those numbers, and a resumed step plays only what is missing.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Loop;

[Collection(PostgresCollection.Name)]
public sealed class EvaluationStepTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private const string Suite = "arithmetic-heldout";

    [Fact]
    public async Task The_trained_policy_and_its_parent_play_the_suite_and_the_meta_critic_promotes_on_the_stored_results()
    {
        var connection = await postgres.CreateDatabaseAsync("evaluation_step");
        await SocraticDb.MigrateAsync(connection, default);
        await using var db = new SocraticDbContext(SocraticDb.Options(connection));
        var parent = new Policy { Name = "gen0", BaseModelPath = "/m.gguf", CreatedAt = Now };
        db.Policies.Add(parent);
        await db.SaveChangesAsync();
        var config = new CampaignConfig { EvalSuites = [Suite], EvalTasks = 40, EvalSeed = 3 };
        var campaign = new Campaign { Name = "evaluated", StartPolicyId = parent.Id, CurrentPolicyId = parent.Id, Config = config.ToJson(), CreatedAt = Now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var child = new Policy { Name = "gen1", BaseModelPath = "/m.gguf", AdapterPath = "/a.gguf", ParentPolicyId = parent.Id, CampaignId = campaign.Id, CreatedAt = Now };
        db.Policies.Add(child);
        var generation = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = parent.Id, StartedAt = Now };
        db.Generations.Add(generation);
        await db.SaveChangesAsync();

        // The adapter "knows" arithmetic (answers from the suite's own tasks); the base model always answers -999999.
        var suite = EvaluationSuites.Find(Suite)!;
        var source = suite.CreateTaskSource();
        var tasks = Enumerable.Range(0, config.EvalTasks)
            .Select(i => source.Draw(i, Seeds.Episode(EvaluationRunner.SuiteSeed(Suite, config.EvalSeed), i))).ToList();
        var policies = new AnswerKey(spec => spec.AdapterPath is null ? null : tasks);
        var progress = new List<EvaluationProgress>();

        var results = await GenerationEvaluation.EvaluateAsync(
            db, new EvaluationRunner(policies), generation, config, 4, TimeProvider.System, p => { progress.Add(p); return Task.CompletedTask; }, default);
        var again = await GenerationEvaluation.EvaluateAsync(
            db, new EvaluationRunner(policies), generation, config, 4, TimeProvider.System, _ => Task.CompletedTask, default);

        Assert.Equal([(child.Id, "trained", 40, 40), (parent.Id, "parent", 40, 0)], results.Select(r => (r.Target.PolicyId, r.Target.Role, r.Result.Count, r.Result.Correct)));
        Assert.All(results, r => Assert.Equal(generation.Id, r.Result.GenerationId));
        Assert.Equal(80, policies.Calls); // the second call found both results stored and played nothing
        Assert.Equal(results.Select(r => r.Result.Id), again.Select(r => r.Result.Id));
        Assert.Equal((2, 2, null), (progress[^1].Done, progress[^1].Total, progress[^1].Current));

        var decision = Assert.Single(await MetaCriticService.ProposeAsync(db, generation.Id, Now, default));
        Assert.Equal(DecisionKind.Promote, decision.Kind);
        Assert.Contains("0.0% → 100.0%", decision.Rationale);
    }

    /// <summary>Answers "Answer: X" with the right X when the task's prompt is in the messages and the key is given for the policy; else -999999.</summary>
    private sealed class AnswerKey(Func<PolicySpec, IReadOnlyList<Core.Tasks.GameTask>?> key) : IPolicyProvider
    {
        private int _calls;

        public int Calls => _calls;

        public Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken) => Task.FromResult<IPolicy>(new Answerer(this, spec, key(spec)));

        private sealed class Answerer(AnswerKey owner, PolicySpec spec, IReadOnlyList<Core.Tasks.GameTask>? tasks) : IPolicy
        {
            public PolicySpec Spec => spec;

            public Task<GenerationResult> GenerateAsync(IReadOnlyList<ChatMessage> messages, SamplingSettings sampling, Action<string>? onToken, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._calls);
                var task = tasks?.FirstOrDefault(t => messages.Any(m => m.Content.Contains(t.Prompt, StringComparison.Ordinal)));
                return Task.FromResult(new GenerationResult($"Answer: {task?.Answer ?? "-999999"}", 0, 0, FinishReason.Stop, TimeSpan.Zero, TimeSpan.Zero));
            }
        }
    }
}
