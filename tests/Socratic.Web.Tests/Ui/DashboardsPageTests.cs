// The Dashboards page (bunit, real host services and PostgreSQL): charts and tables for seeded history, CSV links
// carrying the filters, and an empty state that says what to do next.
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Web.Tests.Dashboards;
using Socratic.Web.Tests.Infrastructure;
using DashboardsPage = Socratic.Web.Components.Pages.Dashboards;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class DashboardsPageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Seeded_history_shows_charts_and_tables_with_csv_links()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_dashboards", Roles.Observer);
        DashboardSeed.Seeded seeded;
        await using (var db = host.App.Db())
        {
            seeded = await DashboardSeed.SeedAsync(db);
        }

        Interactive(host);
        host.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/dashboards?campaign={seeded.CampaignId}");
        var cut = host.Context.Render<DashboardsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".dashboards-games tbody tr").Count));
        // A score chart per game, the suite's accuracy with its interval, diversity, tokens and seconds.
        Assert.Equal(
            [$"score-{seeded.GameA}", $"score-{seeded.GameB}", "eval-arithmetic-heldout", "diversity", "tokens", "seconds"],
            cut.FindAll(".dashboards-chart").Select(c => c.GetAttribute("data-chart")));
        Assert.All(cut.FindAll(".dashboards-chart"), c => Assert.NotNull(c.QuerySelector("svg")));
        Assert.Equal(2, cut.FindAll(".dashboards-evaluation tbody tr").Count);
        Assert.Equal(3, cut.FindAll(".dashboards-diversity tbody tr").Count);
        var first = cut.Find($".dashboards-games tr[data-generation='0'][data-game='{seeded.GameA}']");
        Assert.Contains("0.4", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("0.283", first.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/api/dashboards/csv?table=games&campaign={seeded.CampaignId}", cut.Find(".dashboards-csv-games").GetAttribute("href"));
        Assert.Empty(cut.FindAll(".dashboards-empty, .dashboards-error"));
    }

    [Fact]
    public async Task Without_history_the_page_says_how_to_make_some()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_dashboards_empty", Roles.Observer);
        Interactive(host);

        var cut = host.Context.Render<DashboardsPage>();

        cut.WaitForAssertion(() => Assert.Contains("Nothing to chart yet", cut.Find(".dashboards-empty").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".dashboards-chart"));
        Assert.Empty(cut.FindAll(".dashboards-loading"));
    }

    /// <summary>The page as a connected circuit renders it (its buttons are enabled only then).</summary>
    private static void Interactive(BunitHost host) => host.Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
}
