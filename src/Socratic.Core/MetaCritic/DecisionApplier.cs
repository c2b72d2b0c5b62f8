// Moves meta-critic decisions through their lifecycle: an admin approves (which applies it) or rejects, with a
// comment; the autopilot applies the kinds the campaign allows. Applying changes exactly what the payload says —
// campaign game weights, a paused game, the self-play temperature, the campaign's current policy and policy
// statuses — and every step writes an audit entry. Approving twice or deciding a decided proposal is refused.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Policies;

namespace Socratic.Core.MetaCritic;

public sealed class DecisionConflictException(string message) : InvalidOperationException(message);

public static class DecisionApplier
{
    /// <summary>
    /// Records an admin's verdict and, on approval, applies the decision — in one transaction. The status moves only
    /// from Proposed (a conditional update), so two admins deciding at once get one winner and one clear error.
    /// Returns null when there is no such decision.
    /// </summary>
    /// <exception cref="DecisionConflictException">The decision was already decided.</exception>
    public static Task<Decision?> DecideAsync(
        SocraticDbContext db, long decisionId, bool approve, string actor, string? comment, DateTimeOffset now, CancellationToken cancellationToken) =>
        // The retrying execution strategy refuses a bare user transaction: the whole unit is retried instead.
        db.Database.CreateExecutionStrategy().ExecuteAsync<Decision?>(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
            var changed = await db.Decisions.Where(d => d.Id == decisionId && d.Status == DecisionStatus.Proposed).ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, status).SetProperty(d => d.DecidedBy, actor).SetProperty(d => d.DecidedAt, now).SetProperty(d => d.DecisionComment, comment),
                ct);
            if (changed == 0)
            {
                var current = await db.Decisions.AsNoTracking().Where(d => d.Id == decisionId).Select(d => new { d.Status, d.DecidedBy, d.DecidedAt }).FirstOrDefaultAsync(ct);
                return current is null
                    ? null
                    : throw new DecisionConflictException($"Decision {decisionId} is already {current.Status} (by {current.DecidedBy ?? "the autopilot"} at {current.DecidedAt:u}).");
            }

            var decision = await db.Decisions.FirstAsync(d => d.Id == decisionId, ct);
            Audit(db, now, actor, approve ? "decision.approved" : "decision.rejected", decision, comment);
            if (approve)
            {
                await ApplyAsync(db, decision, actor, autopilot: false, now, ct);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return decision;
        }, cancellationToken);

    /// <summary>Applies proposals whose kind the campaign's autopilot allows; returns how many.</summary>
    public static async Task<int> RunAutopilotAsync(SocraticDbContext db, long campaignId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == campaignId, cancellationToken);
        var allowed = CampaignConfig.FromJson(campaign.Config).Autopilot.ToHashSet();
        var pending = await db.Decisions.Where(d => d.CampaignId == campaignId && d.Status == DecisionStatus.Proposed).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var applied = 0;
        foreach (var decision in pending.Where(d => allowed.Contains(d.Kind)))
        {
            decision.Status = DecisionStatus.Approved;
            decision.DecidedBy = "autopilot";
            decision.DecidedAt = now;
            await ApplyAsync(db, decision, "autopilot", autopilot: true, now, cancellationToken);
            applied++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return applied;
    }

    private static async Task ApplyAsync(SocraticDbContext db, Decision decision, string actor, bool autopilot, DateTimeOffset now, CancellationToken ct)
    {
        var payload = JsonNode.Parse(decision.Payload)?.AsObject() ?? [];
        var campaign = decision.CampaignId is { } campaignId ? await db.Campaigns.Include(c => c.Games).FirstAsync(c => c.Id == campaignId, ct) : null;
        switch (decision.Kind)
        {
            case DecisionKind.Reweight:
                foreach (var (gameId, weight) in payload["weights"]?.AsObject() ?? [])
                {
                    var id = long.Parse(gameId, CultureInfo.InvariantCulture);
                    var target = campaign?.Games.FirstOrDefault(g => g.GameId == id);
                    if (target is not null)
                    {
                        target.Weight = (double)weight!;
                    }
                    else if (await db.Games.FirstOrDefaultAsync(g => g.Id == id, ct) is { } game)
                    {
                        game.Weight = (double)weight!;
                    }
                }

                break;
            case DecisionKind.PauseGame:
                var paused = Field(payload, "gameId", decision);
                if (campaign?.Games.FirstOrDefault(g => g.GameId == paused) is { } campaignGame)
                {
                    campaignGame.Paused = true;
                }
                else if (await db.Games.FirstOrDefaultAsync(g => g.Id == paused, ct) is { } game)
                {
                    game.Enabled = false;
                }

                break;
            case DecisionKind.RaiseDiversity when campaign is not null:
                var config = CampaignConfig.FromJson(campaign.Config);
                campaign.Config = (config with { Temperature = payload["temperature"]?.GetValue<double>() ?? throw Unappliable(decision, "its payload has no 'temperature'") }).ToJson();
                break;
            case DecisionKind.Promote:
                var promotedId = Field(payload, "policyId", decision);
                var promoted = await db.Policies.FirstOrDefaultAsync(p => p.Id == promotedId, ct) ?? throw Unappliable(decision, $"policy {promotedId} does not exist");
                promoted.Status = PolicyStatus.Promoted;
                if (campaign is not null)
                {
                    campaign.CurrentPolicyId = promoted.Id;
                }

                break;
            case DecisionKind.Rollback:
                var rolledBackId = Field(payload, "policyId", decision);
                var rolledBack = await db.Policies.FirstOrDefaultAsync(p => p.Id == rolledBackId, ct) ?? throw Unappliable(decision, $"policy {rolledBackId} does not exist");
                rolledBack.Status = PolicyStatus.RolledBack;
                if (campaign is not null)
                {
                    campaign.CurrentPolicyId = Field(payload, "to", decision);
                }

                break;
        }

        decision.Status = DecisionStatus.Applied;
        decision.AppliedAt = now;
        decision.AppliedByAutopilot = autopilot;
        Audit(db, now, actor, "decision.applied", decision, null);
    }

    private static long Field(JsonObject payload, string name, Decision decision) =>
        payload[name] is JsonValue v && v.TryGetValue<long>(out var id) ? id : throw Unappliable(decision, $"its payload has no '{name}'");

    /// <summary>A decision whose payload cannot be carried out is refused (the transaction rolls back), not half-applied.</summary>
    private static DecisionConflictException Unappliable(Decision decision, string why) => new($"Decision {decision.Id} cannot be applied: {why}.");

    private static void Audit(SocraticDbContext db, DateTimeOffset now, string actor, string action, Decision decision, string? comment) =>
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = action, EntityType = "Decision", EntityId = decision.Id.ToString(CultureInfo.InvariantCulture),
            Details = JsonSerializer.Serialize(new { kind = decision.Kind.ToString(), comment, payload = JsonNode.Parse(decision.Payload) }),
        });
}
