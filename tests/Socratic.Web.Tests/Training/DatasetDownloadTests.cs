// Datasets from the UI's endpoints on real PostgreSQL: a researcher uploads, an observer lists it with its origin,
// downloads the JSONL (what the trainer reads: every line, in order, readable by the trainer's reader) and the card.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socratic.Core.Data;
using Socratic.Core.Training;
using Socratic.Training.Datasets;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Training;

[Collection(PostgresCollection.Name)]
public sealed class DatasetDownloadTests(PostgresFixture postgres)
{
    public const string Chat =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"What is 2 + 3?\"},{\"role\":\"assistant\",\"content\":\"5, \\\"five\\\"\"}]}\n" +
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Lily?\"},{\"role\":\"assistant\",\"content\":\"Lily is a kind girl. ü\"}]}\n";

    [Fact]
    public async Task An_observer_lists_and_downloads_the_stored_jsonl_and_its_card()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "dataset_download", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        var researcher = await app.ClientAsync(Roles.Researcher);
        var upload = await researcher.PostAsync("/api/datasets?name=two%20sums&kind=chat", new StringContent(Chat, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        long curated;
        await using (var db = app.Db())
        {
            var origin = new JsonObject { ["source"] = "curation", ["games"] = new JsonObject { ["Arithmetic"] = 2 }, ["generations"] = new JsonArray(0, 1) };
            curated = (await DatasetStore.StoreAsync(db, "loop-gen2", DatasetKind.Chat, Chat, "test", DateTimeOffset.UtcNow, default, null, new DatasetOrigin("{}", origin, null, null))).Id;
        }

        var observer = await app.ClientAsync(Roles.Observer);
        var list = await observer.GetFromJsonAsync<JsonElement>("/api/datasets");
        var download = await observer.GetAsync($"/api/datasets/{id}/download");
        var cardResponse = await observer.GetAsync($"/api/datasets/{id}/card");

        var listed = list.EnumerateArray().ToList();
        Assert.Equal([curated, id], listed.Select(d => d.GetProperty("id").GetInt64()));
        Assert.Equal(["Arithmetic"], listed[0].GetProperty("games").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal([0, 1], listed[0].GetProperty("generations").EnumerateArray().Select(g => g.GetInt32()));
        Assert.Equal("upload", listed[1].GetProperty("source").GetString());

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-ndjson", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("two-sums-v1.jsonl", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        var jsonl = await download.Content.ReadAsStringAsync();
        // Each line holds the uploaded values (jsonb may space them differently), in order, and trains as it is.
        var sent = Chat.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var got = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("\n", jsonl, StringComparison.Ordinal);
        Assert.Equal(sent.Length, got.Length);
        Assert.All(sent.Zip(got), p => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(p.First), JsonNode.Parse(p.Second)), p.Second));
        Assert.Equal(2, ChatJsonl.ReadChat(new StringReader(jsonl), "download").Count);

        Assert.Equal(HttpStatusCode.OK, cardResponse.StatusCode);
        Assert.Equal("application/json", cardResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal("two-sums-v1.card.json", cardResponse.Content.Headers.ContentDisposition!.FileNameStar ?? cardResponse.Content.Headers.ContentDisposition.FileName);
        var card = JsonNode.Parse(await cardResponse.Content.ReadAsStringAsync())!;
        Assert.Equal(2, card["items"]!.GetValue<int>());
        Assert.Equal(listed[1].GetProperty("sha256").GetString(), card["sha256"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await observer.GetAsync("/api/datasets/999999/download")).StatusCode);
        var anonymous = await app.ClientAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/datasets/{id}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/datasets/{id}/card")).StatusCode);
    }
}
