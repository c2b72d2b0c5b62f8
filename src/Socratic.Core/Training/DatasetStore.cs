// Stores an uploaded or curated JSONL dataset: every line is checked with the trainer's own reader (so what is
// stored will train), then the dataset gets the next version of its name, a card with counts and the body's
// SHA-256. Shared by the API and, later, the closed loop's curation step.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Training.Datasets;

namespace Socratic.Core.Training;

public static class DatasetStore
{
    /// <summary>Parses "chat", "preference" or "groups" (also the enum names).</summary>
    public static DatasetKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "chat" => DatasetKind.Chat,
        "preference" or "preferences" => DatasetKind.Preference,
        "groups" or "scoredgroups" => DatasetKind.ScoredGroups,
        _ => null,
    };

    /// <summary>The non-blank lines with their 1-based line numbers, after the trainer's reader accepted them all.</summary>
    /// <exception cref="DatasetFormatException">Names the first bad line.</exception>
    public static IReadOnlyList<string> Validate(DatasetKind kind, string jsonl, string source = "dataset")
    {
        using (var reader = new StringReader(jsonl))
        {
            int count = kind switch
            {
                DatasetKind.Chat => ChatJsonl.ReadChat(reader, source).Count,
                DatasetKind.Preference => ChatJsonl.ReadPreferences(reader, source).Count,
                _ => ChatJsonl.ReadGroups(reader, source).Count,
            };
            if (count == 0)
            {
                throw new DatasetFormatException(source, 0, "no examples");
            }
        }

        return jsonl.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
    }

    public static async Task<Dataset> StoreAsync(
        SocraticDbContext db, string name, DatasetKind kind, string jsonl, string actor, DateTimeOffset now, CancellationToken cancellationToken,
        IReadOnlyList<long?>? episodeIds = null, DatasetOrigin? origin = null)
    {
        var lines = Validate(kind, jsonl, name);
        var previous = await db.Datasets.Where(d => d.Name == name).MaxAsync(d => (int?)d.Version, cancellationToken) ?? 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jsonl)));
        var dataset = new Dataset
        {
            Name = name,
            Version = previous + 1,
            Kind = kind,
            ItemCount = lines.Count,
            Sha256 = sha,
            Card = Card(origin?.Card, lines.Count, kind, Encoding.UTF8.GetByteCount(jsonl), sha),
            Filters = origin?.Filters ?? "{}",
            CampaignId = origin?.CampaignId,
            GenerationId = origin?.GenerationId,
            CreatedAt = now,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(cancellationToken);

        db.DatasetItems.AddRange(lines.Select((line, i) => new DatasetItem
        {
            DatasetId = dataset.Id,
            Ordinal = i,
            Content = line,
            EpisodeId = episodeIds is not null && i < episodeIds.Count ? episodeIds[i] : null,
        }));
        db.AuditLog.Add(new AuditEntry { At = now, Actor = actor, Action = "dataset.created", EntityType = "Dataset", EntityId = dataset.Id.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return dataset;
    }

    /// <summary>The card: what the caller knows (curation counts, sources) plus what every dataset has (size, kind, hash).</summary>
    private static string Card(JsonObject? extra, int items, DatasetKind kind, int bytes, string sha)
    {
        var card = extra?.DeepClone().AsObject() ?? new JsonObject { ["source"] = "upload" };
        card["items"] = items;
        card["kind"] = kind.ToString();
        card["bytes"] = bytes;
        card["sha256"] = sha;
        return card.ToJsonString();
    }
}

/// <summary>Where a curated dataset came from: the rules (stored as Filters), card fields, campaign and generation.</summary>
public sealed record DatasetOrigin(string Filters, JsonObject Card, long? CampaignId, long? GenerationId);
