// The curation step over the database: reads the finished episodes of some runs (a generation's self-play),
// turns each scored role into a CurationSample (its view of the episode, its grounded score), curates, exports
// in the requested format and stores the result as the next version of a named dataset, with a dataset card
// saying what went in and what was dropped and why. Idempotence is the caller's: the generation step records
// the dataset it made.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;
using Socratic.Core.Training;

namespace Socratic.Core.Curation;

public sealed record CurationRequest(string DatasetName, DatasetKind Kind, IReadOnlyList<long> RunIds, CurationRules Rules)
{
    public long? CampaignId { get; init; }

    public long? GenerationId { get; init; }

    /// <summary>Only these roles are turned into samples; empty = every scored role.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
}

public static class CurationService
{
    public static async Task<IReadOnlyList<CurationSample>> LoadSamplesAsync(
        SocraticDbContext db, IReadOnlyList<long> runIds, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var episodes = await db.Episodes.AsNoTracking()
            .Where(e => runIds.Contains(e.RunId) && e.Status == EpisodeStatus.Completed)
            .Include(e => e.Turns).Include(e => e.Scores).Include(e => e.GameVersion).ThenInclude(v => v.Game)
            .OrderBy(e => e.Id)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var generations = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new { r.Id, Number = db.Generations.Where(g => g.Id == r.GenerationId).Select(g => (int?)g.Number).FirstOrDefault() })
            .ToDictionaryAsync(r => r.Id, r => r.Number ?? 0, cancellationToken);

        var definitions = new Dictionary<long, GameDefinition>();
        var samples = new List<CurationSample>();
        foreach (var episode in episodes)
        {
            if (!definitions.TryGetValue(episode.GameVersionId, out var game))
            {
                definitions[episode.GameVersionId] = game = GameJson.Parse(episode.GameVersion.Definition);
            }

            var task = JsonSerializer.Deserialize<GameTask>(episode.Task) ?? throw new InvalidDataException($"Episode {episode.Id} has no task.");
            var turns = episode.Turns.OrderBy(t => t.Index).Select(EpisodeStore.ToRecord).ToList();
            foreach (var byRole in episode.Scores.GroupBy(s => s.Role, StringComparer.Ordinal))
            {
                if ((roles.Count > 0 && !roles.Contains(byRole.Key)) || game.FindRole(byRole.Key) is null || !turns.Any(t => t.Role == byRole.Key))
                {
                    continue;
                }

                // Grounded scores speak for the role when it has any; judge scores only when it has nothing else.
                var grounded = byRole.Where(s => s.Grounded).ToList();
                var used = grounded.Count > 0 ? grounded : [.. byRole];
                var conversation = ConversationView.Build(game, task, byRole.Key, turns);
                var prompt = string.Join("\n\n", conversation.TakeWhile(m => m.Role != ChatRole.Assistant).Select(m => m.Content));
                samples.Add(new CurationSample(
                    episode.Id, episode.GameVersion.Game.Slug, task.Id, task.Fields.GetValueOrDefault("cluster") ?? game.Name, byRole.Key,
                    conversation, prompt, string.Join("\n", turns.Where(t => t.Role == byRole.Key).Select(t => t.Text)),
                    used.Average(s => s.Value), grounded.Count > 0, generations.GetValueOrDefault(episode.RunId)));
            }
        }

        return samples;
    }

    public static async Task<Dataset> CurateAsync(SocraticDbContext db, CurationRequest request, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var samples = await LoadSamplesAsync(db, request.RunIds, request.Roles, cancellationToken);
        // Pairs and groups need the low scores as well as the high ones: only SFT applies the score filters.
        var rules = request.Kind == DatasetKind.Chat ? request.Rules : request.Rules with { MinScore = null, TopKPerTask = null };
        var outcome = Curator.Curate(samples, rules);
        var exported = DatasetExport.Export(request.Kind, outcome.Kept, rules);
        if (exported.Lines == 0)
        {
            throw new InvalidOperationException(
                $"Curation left no examples from {samples.Count} samples of runs {string.Join(", ", request.RunIds)} " +
                $"(dropped: {Describe(outcome.Dropped)}; export skipped: {Describe(exported.Skipped)}). Loosen the rules or play more episodes.");
        }

        var card = new JsonObject
        {
            ["source"] = "curation",
            ["runs"] = new JsonArray([.. request.RunIds.Select(id => (JsonNode)id)]),
            ["generations"] = new JsonArray([.. samples.Select(s => s.Generation).Distinct().Order().Select(g => (JsonNode)g)]),
            ["samples"] = samples.Count,
            ["kept"] = outcome.Kept.Count,
            ["dropped"] = Counts(outcome.Dropped),
            ["exportSkipped"] = Counts(exported.Skipped),
            ["games"] = Counts(outcome.Kept.GroupBy(s => s.Game).ToDictionary(g => g.Key, g => g.Count())),
            ["roles"] = Counts(outcome.Kept.GroupBy(s => s.Role).ToDictionary(g => g.Key, g => g.Count())),
            ["meanScore"] = outcome.Kept.Count == 0 ? 0 : outcome.Kept.Average(s => s.Score),
            ["episodesSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', outcome.Kept.Select(s => s.EpisodeId).Distinct().Order())))),
        };
        return await DatasetStore.StoreAsync(db, request.DatasetName, request.Kind, exported.Jsonl, actor, now, cancellationToken, exported.EpisodeIds,
            new DatasetOrigin(JsonSerializer.Serialize(request.Rules, GameJson.Options), card, request.CampaignId, request.GenerationId));
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, int> counts) =>
        new([.. counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"));
}
