// Writes curated samples in the formats the fine-tuning world uses, one JSON object per line, each line
// remembering the episode(s) it came from (lineage):
//   chat        {"messages":[{"role":"system|user|assistant","content":…}]}       — SFT
//   preference  {"prompt":…,"chosen":…,"rejected":…}                               — DPO; best vs worst per task
//   groups      {"prompt":…,"completions":[{"text":…,"score":…}]}                   — group-relative policy gradient
// These are exactly what `socratic train` and the trainer's readers accept.
using System.Text;
using System.Text.Json;
using Socratic.Core.Policies;
using Socratic.Core.Training;

namespace Socratic.Core.Curation;

public sealed record ExportedDataset(DatasetKind Kind, string Jsonl, IReadOnlyList<long?> EpisodeIds, int Lines, IReadOnlyDictionary<string, int> Skipped);

public static class DatasetExport
{
    public static ExportedDataset Export(DatasetKind kind, IReadOnlyList<CurationSample> samples, CurationRules rules) => kind switch
    {
        DatasetKind.Chat => Chat(samples),
        DatasetKind.Preference => Preferences(samples, rules.MinPairGap),
        _ => Groups(samples),
    };

    public static ExportedDataset Chat(IReadOnlyList<CurationSample> samples)
    {
        var lines = new List<(string, long?)>();
        var skipped = 0;
        foreach (var s in samples)
        {
            if (!s.Conversation.Any(m => m.Role == ChatRole.Assistant))
            {
                skipped++;
                continue;
            }

            var messages = s.Conversation.Select(m => new { role = RoleName(m.Role), content = m.Content });
            lines.Add((JsonSerializer.Serialize(new { messages }), s.EpisodeId));
        }

        return Build(DatasetKind.Chat, lines, skipped == 0 ? [] : new() { ["no_assistant_turn"] = skipped });
    }

    public static ExportedDataset Preferences(IReadOnlyList<CurationSample> samples, double minGap)
    {
        var lines = new List<(string, long?)>();
        var skipped = 0;
        foreach (var group in ByPrompt(samples))
        {
            var ranked = Curator.BestFirst(group).ToList();
            var (best, worst) = (ranked[0], ranked[^1]);
            if (ranked.Count < 2 || best.Score - worst.Score < minGap || best.Completion == worst.Completion)
            {
                skipped++;
                continue;
            }

            lines.Add((JsonSerializer.Serialize(new { prompt = best.Prompt, chosen = best.Completion, rejected = worst.Completion }), best.EpisodeId));
        }

        return Build(DatasetKind.Preference, lines, skipped == 0 ? [] : new() { ["no_clear_preference"] = skipped });
    }

    public static ExportedDataset Groups(IReadOnlyList<CurationSample> samples)
    {
        var lines = new List<(string, long?)>();
        var skipped = 0;
        foreach (var group in ByPrompt(samples))
        {
            var members = group.OrderBy(s => s.EpisodeId).ThenBy(s => s.Role, StringComparer.Ordinal).ToList();
            // A group whose members all scored the same has zero advantage everywhere: no learning signal.
            if (members.Count < 2 || members.All(m => m.Score == members[0].Score))
            {
                skipped++;
                continue;
            }

            var completions = members.Select(m => new { text = m.Completion, score = m.Score });
            lines.Add((JsonSerializer.Serialize(new { prompt = members[0].Prompt, completions }), members[0].EpisodeId));
        }

        return Build(DatasetKind.ScoredGroups, lines, skipped == 0 ? [] : new() { ["no_score_spread"] = skipped });
    }

    public static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        _ => "assistant",
    };

    private static IEnumerable<IGrouping<(string Game, string Role, string Prompt), CurationSample>> ByPrompt(IReadOnlyList<CurationSample> samples) =>
        samples.GroupBy(s => (s.Game, s.Role, s.Prompt)).OrderBy(g => g.Min(s => s.EpisodeId));

    private static ExportedDataset Build(DatasetKind kind, List<(string Line, long? Episode)> lines, Dictionary<string, int> skipped)
    {
        var body = new StringBuilder();
        foreach (var (line, _) in lines)
        {
            body.Append(line).Append('\n');
        }

        return new ExportedDataset(kind, body.ToString(), [.. lines.Select(l => l.Episode)], lines.Count, skipped);
    }
}
