// The Campaigns page (bunit, real host services and PostgreSQL): each generation's chain of steps as done / current /
// pending, its Elo ratings and proposals, refreshed while the page is open as the chain moves on.
using Bunit;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Core.Ratings;
using Socratic.Web.Tests.Infrastructure;
using CampaignsPage = Socratic.Web.Components.Pages.Campaigns;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class CampaignsPageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Generations_show_their_steps_ratings_and_proposals_and_follow_the_chain_live()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_campaigns", Roles.Observer);
        long second;
        await using (var db = host.App.Db())
        {
            var p0 = await TestData.PolicyAsync(db, "base");
            var p1 = await TestData.PolicyAsync(db, "base-g1", 1, p0.Id);
            var campaign = new Campaign { Name = "loop", StartPolicyId = p0.Id, Status = CampaignStatus.Running, CurrentGeneration = 2, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "r@test" };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var g1 = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = p0.Id, Step = GenerationStep.Done, Status = GenerationStatus.Completed, StartedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow };
            var g2 = new Generation { CampaignId = campaign.Id, Number = 2, PolicyId = p1.Id, Step = GenerationStep.Training, StartedAt = DateTimeOffset.UtcNow };
            db.Generations.AddRange(g1, g2);
            await db.SaveChangesAsync();
            second = g2.Id;
            db.PolicyRatings.Add(new PolicyRating { CampaignId = campaign.Id, GenerationId = g1.Id, PolicyId = p1.Id, Rating = 1532, Games = 10, Wins = 6, Losses = 3, Draws = 1 });
            var proposal = await TestData.DecisionAsync(db, "promote g1", kind: DecisionKind.Promote);
            proposal.CampaignId = campaign.Id;
            proposal.GenerationId = g1.Id;
            await db.SaveChangesAsync();
        }

        var cut = host.Context.Render<CampaignsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".generations-table tbody tr").Count));
        var first = cut.Find("tr[data-generation='1']");
        Assert.Equal(8, first.QuerySelectorAll(".step-done").Length);
        Assert.Contains("1532 (6–3–1)", first.QuerySelector(".generation-ratings")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Promote: Proposed", first.QuerySelector(".generation-decisions")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["SelfPlay", "Scoring", "Coverage", "Curation"], Steps(cut, 2, "done"));
        Assert.Equal(["Training"], Steps(cut, 2, "current"));

        await using (var db = host.App.Db())
        {
            await db.Generations.Where(g => g.Id == second).ExecuteUpdateAsync(s => s.SetProperty(g => g.Step, GenerationStep.Evaluation));
        }

        // No reload: the page polls while open.
        cut.WaitForAssertion(() => Assert.Equal(["Evaluation"], Steps(cut, 2, "current")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Without_campaigns_the_page_says_how_to_start_one()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_campaigns_empty", Roles.Observer);

        var cut = host.Context.Render<CampaignsPage>();

        cut.WaitForAssertion(() => Assert.Contains("POST /api/campaigns", cut.Find(".campaigns-empty").TextContent, StringComparison.Ordinal));
    }

    private static string[] Steps(IRenderedComponent<CampaignsPage> cut, int generation, string state) =>
        [.. cut.Find($"tr[data-generation='{generation}']").QuerySelectorAll($".step-{state}").Select(e => e.TextContent.Trim())];
}
