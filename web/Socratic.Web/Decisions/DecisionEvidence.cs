// How a decision's evidence JSON is shown. The meta-critic writes it, so it is untrusted data: anything that is
// not valid JSON is shown as text, never interpreted. Convention: numbers (at any depth) are metrics named by
// their path ("scores.mean"); an "episodes" array of ids becomes links to those transcripts; other values are text.
using System.Globalization;
using System.Text.Json;

namespace Socratic.Web.Decisions;

public sealed record EvidenceItem(string Name, string Value);

public sealed record DecisionEvidence(IReadOnlyList<EvidenceItem> Items, IReadOnlyList<long> EpisodeIds, string? Unreadable)
{
    private const int MaxItems = 200;

    public static DecisionEvidence Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new([], [], null);
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var items = new List<EvidenceItem>();
            var episodes = new List<long>();
            Walk(doc.RootElement, "", items, episodes);
            return new(items, episodes.Distinct().ToList(), null);
        }
        catch (JsonException)
        {
            return new([], [], json);
        }
    }

    private static void Walk(JsonElement e, string path, List<EvidenceItem> items, List<long> episodes)
    {
        if (items.Count >= MaxItems)
        {
            return;
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    var name = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (p.Name.Equals("episodes", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array)
                    {
                        episodes.AddRange(p.Value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out _)).Select(x => x.GetInt64()));
                    }
                    else
                    {
                        Walk(p.Value, name, items, episodes);
                    }
                }

                break;
            case JsonValueKind.Array when e.EnumerateArray().All(x => x.ValueKind is JsonValueKind.Number or JsonValueKind.String):
                items.Add(new(path, string.Join(", ", e.EnumerateArray().Select(Text))));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var x in e.EnumerateArray())
                {
                    Walk(x, $"{path}[{i++}]", items, episodes);
                }

                break;
            default:
                items.Add(new(path.Length == 0 ? "value" : path, Text(e)));
                break;
        }
    }

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetDouble(out var d) => d.ToString("0.####", CultureInfo.InvariantCulture),
        JsonValueKind.String => e.GetString() ?? "",
        _ => e.GetRawText(),
    };
}
