// An admin approves or rejects a meta-critic proposal. The one place a decision leaves Proposed by hand: the
// role is checked here (not only in the UI), a rejection must say why, the status moves only from Proposed (a
// second admin deciding at the same moment gets a clear error instead of overwriting); approving applies the
// decision, and the audit rows are written in the same transaction (DecisionApplier).
using System.Security.Claims;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Api;
using Socratic.Web.Campaigns;

namespace Socratic.Web.Decisions;

public sealed class DecisionReviewer(IDbContextFactory<SocraticDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider time)
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

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Decision? decision;
        try
        {
            decision = await DecisionApplier.DecideAsync(db, decisionId, approve, user.Identity?.Name ?? "unknown", comment, time.GetUtcNow(), cancellationToken);
        }
        catch (DecisionConflictException e)
        {
            throw new RequestValidationException([new("status", e.Message)]);
        }

        if (decision is null)
        {
            return false;
        }

        // A campaign generation waiting on this proposal goes on once nothing is left to decide.
        await CampaignStepJob.ResumeIfDecidedAsync(db, jobs, decision.GenerationId, cancellationToken);
        return true;
    }
}
