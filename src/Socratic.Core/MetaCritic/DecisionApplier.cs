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
    public static async Task<Decision> DecideAsync(
        SocraticDbContext db, long decisionId, bool approve, string actor, string? comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decision = await db.Decisions.FirstOrDefaultAsync(d => d.Id == decisionId, cancellationToken)
            ?? throw new KeyNotFoundException($"No decision {decisionId}.");
        if (decision.Status != DecisionStatus.Proposed)
        {
            throw new DecisionConflictException($"Decision {decisionId} was already {decision.Status.ToString().ToLowerInvariant()} by {decision.DecidedBy ?? "the autopilot"}.");
        }

        decision.Status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
        decision.DecidedBy = actor;
        decision.DecidedAt = now;
        decision.DecisionComment = comment;
        Audit(db, now, actor, approve ? "decision.approved" : "decision.rejected", decision, comment);
        if (approve)
        {
            await ApplyAsync(db, decision, actor, autopilot: false, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return decision;
    }

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
                var paused = (long)payload["gameId"]!;
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
                campaign.Config = (config with { Temperature = (double)payload["temperature"]! }).ToJson();
                break;
            case DecisionKind.Promote:
                var promoted = await db.Policies.FirstAsync(p => p.Id == (long)payload["policyId"]!, ct);
                promoted.Status = PolicyStatus.Promoted;
                if (campaign is not null)
                {
                    campaign.CurrentPolicyId = promoted.Id;
                }

                break;
            case DecisionKind.Rollback:
                var rolledBack = await db.Policies.FirstAsync(p => p.Id == (long)payload["policyId"]!, ct);
                rolledBack.Status = PolicyStatus.RolledBack;
                if (campaign is not null)
                {
                    campaign.CurrentPolicyId = (long)payload["to"]!;
                }

                break;
        }

        decision.Status = DecisionStatus.Applied;
        decision.AppliedAt = now;
        decision.AppliedByAutopilot = autopilot;
        Audit(db, now, actor, "decision.applied", decision, null);
    }

    private static void Audit(SocraticDbContext db, DateTimeOffset now, string actor, string action, Decision decision, string? comment) =>
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = action, EntityType = "Decision", EntityId = decision.Id.ToString(CultureInfo.InvariantCulture),
            Details = JsonSerializer.Serialize(new { kind = decision.Kind.ToString(), comment, payload = JsonNode.Parse(decision.Payload) }),
        });
}
