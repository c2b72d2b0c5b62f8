// HTTP API for campaigns: start one (researchers), list and inspect them step by step (observers). Proposals
// are decided through /api/decisions; deciding the last open one of a waiting generation lets it go on.
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Campaigns;

public static class CampaignEndpoints
{
    public static void MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").AddEndpointFilter<ValidationExceptionFilter>();
        campaigns.MapGet("/", async (SocraticDbContext db, CancellationToken ct) =>
            await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).Select(c => new
            {
                c.Id, c.Name, Status = c.Status.ToString(), c.CurrentGeneration, c.StartPolicyId, c.CurrentPolicyId, c.CreatedAt, c.CreatedBy,
            }).ToListAsync(ct)).RequireAuthorization(Policies.Watch);

        campaigns.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
        {
            var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Games).FirstOrDefaultAsync(c => c.Id == id, ct);
            if (campaign is null)
            {
                return Results.NotFound();
            }

            var generations = await db.Generations.AsNoTracking().Where(g => g.CampaignId == id).OrderBy(g => g.Number).ToListAsync(ct);
            var decisions = await db.Decisions.AsNoTracking().Where(d => d.CampaignId == id).OrderBy(d => d.Id).ToListAsync(ct);
            var ratings = (await db.PolicyRatings.AsNoTracking().Where(r => r.CampaignId == id).OrderByDescending(r => r.Rating).ToListAsync(ct)).ToLookup(r => r.GenerationId);
            return Results.Ok(new
            {
                campaign.Id, campaign.Name, Status = campaign.Status.ToString(), campaign.CurrentGeneration, campaign.CurrentPolicyId,
                Config = System.Text.Json.JsonDocument.Parse(campaign.Config).RootElement,
                Games = campaign.Games.Select(g => new { g.GameId, g.Weight, g.Paused }),
                Generations = generations.Select(g => new
                {
                    g.Id, g.Number, g.PolicyId, Step = g.Step.ToString(), Status = g.Status.ToString(), g.StartedAt, g.CompletedAt,
                    Metrics = System.Text.Json.JsonDocument.Parse(g.Metrics).RootElement,
                    Ratings = ratings[g.Id].Select(r => new { r.PolicyId, r.Rating, r.Games, r.Wins, r.Losses, r.Draws }),
                }),
                Decisions = decisions.Select(d => new
                {
                    d.Id, d.GenerationId, Kind = d.Kind.ToString(), Status = d.Status.ToString(), d.Rationale, d.ExpectedEffect, d.DecidedBy, d.DecidedAt,
                    d.DecisionComment, d.AppliedByAutopilot,
                }),
            });
        }).RequireAuthorization(Policies.Watch);

        campaigns.MapPost("/", async (HttpRequest request, CampaignLauncher launcher, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<StartCampaignRequest>(request, ct);
            var campaign = await launcher.StartAsync(body, user.Identity?.Name ?? "unknown", ct);
            return Results.Created($"/api/campaigns/{campaign.Id}", new { campaign.Id, campaign.Name });
        }).RequireAuthorization(Policies.Author).RequireRateLimiting(AuthSetup.RunLimiter);
    }
}
