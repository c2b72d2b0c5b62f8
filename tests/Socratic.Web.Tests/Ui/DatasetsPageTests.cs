// The Datasets page (bunit, real host services and PostgreSQL): each stored dataset with its origin, hash and card,
// and links to download its JSONL and card.
using System.Text.Json.Nodes;
using Bunit;
using Socratic.Core.Data;
using Socratic.Core.Training;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Training;
using DatasetsPage = Socratic.Web.Components.Pages.Datasets;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class DatasetsPageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Datasets_are_listed_with_origin_hash_and_download_links()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_datasets", Roles.Observer);
        long id;
        await using (var db = host.App.Db())
        {
            var card = new JsonObject { ["source"] = "curation", ["games"] = new JsonObject { ["Arithmetic"] = 1 }, ["generations"] = new JsonArray(0) };
            id = (await DatasetStore.StoreAsync(db, "loop-gen1", DatasetKind.Chat, DatasetDownloadTests.Chat, "test", DateTimeOffset.UtcNow, default, null,
                new DatasetOrigin("{}", card, null, null))).Id;
        }

        var cut = host.Context.Render<DatasetsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".datasets-table tbody tr")));
        var row = cut.Find($"tr[data-dataset='{id}']");
        Assert.Contains("loop-gen1", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("games Arithmetic", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("generations 0", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/api/datasets/{id}/download", row.QuerySelector(".dataset-download")!.GetAttribute("href"));
        Assert.Equal($"/api/datasets/{id}/card", row.QuerySelector(".dataset-card-download")!.GetAttribute("href"));

        await row.QuerySelector(".dataset-card-toggle")!.ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("\"sha256\"", cut.Find(".dataset-card").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_datasets_the_page_says_where_they_come_from()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_datasets_empty", Roles.Observer);

        var cut = host.Context.Render<DatasetsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No datasets yet", cut.Find(".datasets-empty").TextContent, StringComparison.Ordinal));
    }
}
