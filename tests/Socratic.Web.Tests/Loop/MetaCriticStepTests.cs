// The meta-critic step over a real PostgreSQL: a generation whose trained policy clearly beats its parent on the
// held-out suite gets a Promote proposal with evidence; an admin's approval applies it (campaign's current policy,
// policy status, audit log), a second decision on it is refused, and the autopilot applies only allowed kinds.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Loop;

[Collection(PostgresCollection.Name)]
public sealed class MetaCriticStepTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private async Task<(SocraticDbContext Db, long CampaignId, long GenerationId, long Parent, long Child)> SeedAsync(string database, CampaignConfig config, int childCorrect)
    {
        var connection = await postgres.CreateDatabaseAsync(database);
        await SocraticDb.MigrateAsync(connection, default);
        var db = new SocraticDbContext(SocraticDb.Options(connection));
        var parent = new Policy { Name = "gen0", BaseModelPath = "/m.gguf", CreatedAt = Now };
        db.Policies.Add(parent);
        await db.SaveChangesAsync();
        var campaign = new Campaign { Name = "c", StartPolicyId = parent.Id, CurrentPolicyId = parent.Id, Config = config.ToJson(), CreatedAt = Now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var child = new Policy { Name = "gen1", BaseModelPath = "/m.gguf", AdapterPath = "/a.gguf", Generation = 1, ParentPolicyId = parent.Id, CampaignId = campaign.Id, CreatedAt = Now };
        db.Policies.Add(child);
        var generation = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = parent.Id, StartedAt = Now };
        db.Generations.Add(generation);
        await db.SaveChangesAsync();
        db.EvaluationResults.AddRange(
            new EvaluationResult { PolicyId = parent.Id, Suite = "heldout", Count = 200, Correct = 80, Accuracy = 0.4, CreatedAt = Now },
            new EvaluationResult { PolicyId = child.Id, Suite = "heldout", Count = 200, Correct = childCorrect, Accuracy = childCorrect / 200.0, CreatedAt = Now });
        await db.SaveChangesAsync();
        return (db, campaign.Id, generation.Id, parent.Id, child.Id);
    }

    [Fact]
    public async Task A_clear_held_out_gain_is_proposed_and_an_admin_approval_promotes_the_policy_with_an_audit_trail()
    {
        var (db, campaignId, generationId, _, child) = await SeedAsync("metacritic_promote", new CampaignConfig { EvalSuites = ["heldout"] }, childCorrect: 130);
        await using var _ = db;

        var proposals = await MetaCriticService.ProposeAsync(db, generationId, Now, default);
        var again = await MetaCriticService.ProposeAsync(db, generationId, Now, default);

        var promote = Assert.Single(proposals);
        Assert.Equal(DecisionKind.Promote, promote.Kind);
        Assert.Equal(DecisionStatus.Proposed, promote.Status);
        Assert.Contains("40.0% → 65.0%", promote.Rationale);
        Assert.Equal(promote.Id, Assert.Single(again).Id);

        await DecisionApplier.DecideAsync(db, promote.Id, approve: true, "admin@test", "clear gain", Now, default);

        db.ChangeTracker.Clear();
        Assert.Equal(child, (await db.Campaigns.SingleAsync(c => c.Id == campaignId)).CurrentPolicyId);
        Assert.Equal(PolicyStatus.Promoted, (await db.Policies.SingleAsync(p => p.Id == child)).Status);
        var decided = await db.Decisions.SingleAsync(d => d.Id == promote.Id);
        Assert.Equal((DecisionStatus.Applied, "admin@test", "clear gain", false), (decided.Status, decided.DecidedBy, decided.DecisionComment, decided.AppliedByAutopilot));
        Assert.Equal(["decision.applied", "decision.approved"], await db.AuditLog.Where(a => a.EntityType == "Decision").Select(a => a.Action).OrderBy(a => a).ToListAsync());
        await Assert.ThrowsAsync<DecisionConflictException>(() => DecisionApplier.DecideAsync(db, promote.Id, approve: false, "admin@test", null, Now, default));
    }

    [Fact]
    public async Task The_autopilot_applies_only_the_kinds_the_campaign_allows()
    {
        var allowed = await SeedAsync("metacritic_autopilot_on", new CampaignConfig { Autopilot = [DecisionKind.Rollback] }, childCorrect: 30);
        var notAllowed = await SeedAsync("metacritic_autopilot_off", new CampaignConfig { Autopilot = [DecisionKind.Promote] }, childCorrect: 30);
        await using var a = allowed.Db;
        await using var b = notAllowed.Db;

        var applied = Assert.Single(await MetaCriticService.ProposeAsync(a, allowed.GenerationId, Now, default));
        var waiting = Assert.Single(await MetaCriticService.ProposeAsync(b, notAllowed.GenerationId, Now, default));

        Assert.Equal((DecisionKind.Rollback, DecisionStatus.Applied, true), (applied.Kind, applied.Status, applied.AppliedByAutopilot));
        Assert.Equal(allowed.Parent, (await a.Campaigns.AsNoTracking().SingleAsync()).CurrentPolicyId);
        Assert.Equal(PolicyStatus.RolledBack, (await a.Policies.AsNoTracking().SingleAsync(p => p.Id == allowed.Child)).Status);
        Assert.Equal((DecisionKind.Rollback, DecisionStatus.Proposed), (waiting.Kind, waiting.Status));
    }
}
