// An admin approves or rejects a meta-critic proposal. The one place a decision leaves Proposed by hand: the
// role is checked here (not only in the UI), a rejection must say why, the status moves only from Proposed (a
// second admin deciding at the same moment gets a clear error instead of overwriting), and the audit row is
// written in the same transaction as the decision.
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Api;

namespace Socratic.Web.Decisions;

public sealed class DecisionReviewer(IDbContextFactory<SocraticDbContext> dbFactory, TimeProvider time)
{
    public const int MaxCommentLength = 2000;

    /// <summary>Records the admin's verdict. Returns false when there is no such decision.</summary>
    /// <exception cref="UnauthorizedAccessException">The user is not an admin.</exception>
    /// <exception cref="RequestValidationException">No comment on a rejection, or the decision was already decided.</exception>
    public async Task<bool> DecideAsync(long decisionId, bool approve, string? comment, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            throw new UnauthorizedAccessException("Only admins approve or reject decisions.");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (!approve && comment is null)
        {
            throw new RequestValidationException([new("comment", "a rejection needs a comment saying why")]);
        }

        if (comment?.Length > MaxCommentLength)
        {
            throw new RequestValidationException([new("comment", $"at most {MaxCommentLength} characters")]);
        }

        var actor = user.Identity?.Name ?? "unknown";
        var now = time.GetUtcNow();
        var status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The retrying execution strategy (SocraticDb) refuses a bare user transaction: the whole unit is retried instead.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var changed = await db.Decisions.Where(d => d.Id == decisionId && d.Status == DecisionStatus.Proposed).ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, status).SetProperty(d => d.DecidedBy, actor).SetProperty(d => d.DecidedAt, now).SetProperty(d => d.DecisionComment, comment),
                ct);
            if (changed == 0)
            {
                var current = await db.Decisions.AsNoTracking().Where(d => d.Id == decisionId)
                    .Select(d => new { d.Status, d.DecidedBy, d.DecidedAt }).FirstOrDefaultAsync(ct);
                return current is null
                    ? false
                    : throw new RequestValidationException([new("status", $"decision {decisionId} is already {current.Status} (by {current.DecidedBy ?? "autopilot"} at {current.DecidedAt:u})")]);
            }

            db.AuditLog.Add(new AuditEntry
            {
                At = now,
                Actor = actor,
                Action = approve ? "decision.approved" : "decision.rejected",
                EntityType = nameof(Decision),
                EntityId = decisionId.ToString(),
                Details = JsonSerializer.Serialize(new { comment }),
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }
}
