// Stored datasets as people browse and download them: a summary per dataset (origin games and generations from
// its card), the JSONL exactly as the trainer reads it (its items in order, one per line), and the card. Shared by
// the /api/datasets endpoints and the Datasets page. Items are jsonb, so a downloaded line is PostgreSQL's
// rendering of the stored JSON (same values; key order and spacing may differ from the upload the card's sha256
// was taken of).
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Training;

namespace Socratic.Web.Training;

public sealed record DatasetSummary(
    long Id, string Name, int Version, string Kind, int ItemCount, string Sha256, DateTimeOffset CreatedAt,
    long? CampaignId, long? GenerationId, string Source, IReadOnlyList<string> Games, IReadOnlyList<int> Generations, string Card);

public static class DatasetCatalog
{
    public const int MaxListed = 200;

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static async Task<IReadOnlyList<DatasetSummary>> ListAsync(SocraticDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Datasets.AsNoTracking().OrderByDescending(d => d.Id).Take(MaxListed).ToListAsync(cancellationToken);
        return [.. rows.Select(Summary)];
    }

    public static DatasetSummary Summary(Dataset d)
    {
        var card = Parse(d.Card);
        // A curated card names its games ({"games": {name: count}}) and generations ([g, …]); an upload names neither.
        IReadOnlyList<string> games = card?["games"] is JsonObject g ? [.. g.Select(kv => kv.Key)] : [];
        IReadOnlyList<int> generations = card?["generations"] is JsonArray a
            ? [.. a.Select(n => n is JsonValue v && v.TryGetValue<int>(out var i) ? (int?)i : null).OfType<int>()]
            : [];
        var source = card?["source"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : "";
        return new DatasetSummary(d.Id, d.Name, d.Version, d.Kind.ToString(), d.ItemCount, d.Sha256, d.CreatedAt, d.CampaignId, d.GenerationId, source, games, generations, d.Card);
    }

    /// <summary>"name-v3", safe as a file name.</summary>
    public static string FileStem(Dataset d) =>
        new string([.. $"{d.Name}-v{d.Version}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);

    /// <summary>The card, indented, for reading and download.</summary>
    public static string CardJson(Dataset d) => Indent(d.Card);

    /// <summary>JSON indented for reading; anything unparsable as it is.</summary>
    public static string Indent(string json) => Parse(json)?.ToJsonString(Pretty) ?? json;

    /// <summary>Writes the dataset's lines in order, each ending in "\n", as the trainer reads them.</summary>
    public static async Task WriteJsonlAsync(SocraticDbContext db, long datasetId, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await foreach (var line in db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId).OrderBy(i => i.Ordinal)
            .Select(i => i.Content).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(line);
            await writer.WriteAsync('\n');
        }
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
