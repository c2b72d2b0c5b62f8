// HTTP API for the meta-critic's decisions: everyone who may watch reads them with their evidence and fate;
// only admins approve or reject (rate limited like other writes), always through DecisionReviewer.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Decisions;

public sealed record DecideRequest(string? Comment);

public static class DecisionEndpoints
{
    public static void MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        var decisions = app.MapGroup("/api/decisions").AddEndpointFilter<ValidationExceptionFilter>();
        decisions.MapGet("/", async (string? status, SocraticDbContext db, CancellationToken ct) =>
        {
            var q = db.Decisions.AsNoTracking();
            if (status is not null)
            {
                if (!Enum.TryParse<DecisionStatus>(status, ignoreCase: true, out var s))
                {
                    return ApiErrors.BadRequest([new("status", $"unknown status '{status}'; known: {string.Join(", ", Enum.GetNames<DecisionStatus>())}")]);
                }

                q = q.Where(d => d.Status == s);
            }

            var rows = await q.OrderByDescending(d => d.Id).Take(500).Select(d => new
            {
                d.Id, d.CampaignId, d.GenerationId, Kind = d.Kind.ToString(), d.Rationale, Evidence = d.Evidence, d.ExpectedEffect,
                Status = d.Status.ToString(), d.ProposedAt, d.DecidedBy, d.DecidedAt, d.DecisionComment, d.AppliedAt, d.AppliedByAutopilot,
            }).ToListAsync(ct);
            return Results.Ok(rows);
        }).RequireAuthorization(Policies.Watch);

        decisions.MapPost("/{id:long}/approve", (long id, HttpRequest request, HttpContext http, DecisionReviewer reviewer, CancellationToken ct) =>
            DecideAsync(id, approve: true, request, http, reviewer, ct)).RequireAuthorization(Policies.Admin).RequireRateLimiting(AuthSetup.AdminLimiter);
        decisions.MapPost("/{id:long}/reject", (long id, HttpRequest request, HttpContext http, DecisionReviewer reviewer, CancellationToken ct) =>
            DecideAsync(id, approve: false, request, http, reviewer, ct)).RequireAuthorization(Policies.Admin).RequireRateLimiting(AuthSetup.AdminLimiter);
    }

    private static async Task<IResult> DecideAsync(long id, bool approve, HttpRequest request, HttpContext http, DecisionReviewer reviewer, CancellationToken ct)
    {
        var body = request.ContentLength is 0 ? new DecideRequest(null) : await JsonBody.ReadAsync<DecideRequest>(request, ct);
        return await reviewer.DecideAsync(id, approve, body.Comment, http.User, ct) ? Results.NoContent() : Results.NotFound();
    }
}
