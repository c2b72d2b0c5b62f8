// Structured answers: the first balanced JSON object in the text (models wrap JSON in prose and code fences),
// the value at a dot path ("result.items.0.name"; digits index arrays), compared with the rendered Expected —
// as numbers when both are numbers, otherwise as trimmed text. Objects and arrays at the path score 0.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Socratic.Core.Scoring;

public sealed class JsonFieldScorer(JsonFieldScorerDefinition definition, TimeSpan? regexTimeout = null)
    : GroundedScorer<JsonFieldScorerDefinition>(definition, regexTimeout)
{
    // Bounds the work on adversarial text like "{{{{{…": each candidate start scans to its closing brace.
    private const int MaxCandidates = 32;
    private const int MaxScanChars = 65_536;

    public static bool IsValidPath(string? path) =>
        !string.IsNullOrWhiteSpace(path) && path.Split('.').All(s => s.Length > 0 && s.Trim() == s);

    protected override double Compare(string answer, ScoringContext context, JsonObject details)
    {
        var expected = RenderExpected(Definition.Expected, context).Trim();
        details["expected"] = Truncate(expected);
        details["path"] = Definition.Path;

        using var document = FindFirstObject(answer);
        if (document is null)
        {
            return Fail(details, "no JSON object found");
        }

        if (!TryResolve(document.RootElement, Definition.Path, out var value))
        {
            return Fail(details, $"path '{Definition.Path}' not found");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array:
                details["found"] = Truncate(value.GetRawText());
                return Fail(details, "value at path is not a scalar");
            case JsonValueKind.Number:
                details["found"] = value.GetRawText();
                if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e)
                    && value.TryGetDouble(out var a))
                {
                    return Verdict(details, Math.Abs(a - e) <= 1e-9 * Math.Max(1.0, Math.Abs(e)), "equal number", "different number");
                }

                return CompareText(value.GetRawText(), expected, details);
            case JsonValueKind.String:
                var text = value.GetString() ?? "";
                details["found"] = Truncate(text);
                return CompareText(text.Trim(), expected, details);
            default: // true, false, null: compared by their JSON spelling
                details["found"] = value.GetRawText();
                return CompareText(value.GetRawText(), expected, details);
        }
    }

    private double CompareText(string found, string expected, JsonObject details)
    {
        var comparison = Definition.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Verdict(details, string.Equals(found, expected, comparison), "equal", "not equal");
    }

    private static bool TryResolve(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        foreach (var segment in path.Split('.'))
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var child))
            {
                value = child;
            }
            else if (value.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                && i < value.GetArrayLength())
            {
                value = value[i];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first '{…}' span, balanced outside string literals, that parses as JSON; null if none.</summary>
    internal static JsonDocument? FindFirstObject(string text)
    {
        if (text.Length > MaxScanChars)
        {
            text = text[..MaxScanChars];
        }

        var candidates = 0;
        for (var start = text.IndexOf('{', StringComparison.Ordinal);
             start >= 0 && candidates < MaxCandidates;
             start = text.IndexOf('{', start + 1))
        {
            candidates++;
            var end = FindClose(text, start);
            if (end < 0)
            {
                continue;
            }

            try
            {
                return JsonDocument.Parse(text.AsMemory(start, end - start + 1), new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                // Not JSON after all (e.g. "{x}" in prose): try the next brace.
            }
        }

        return null;
    }

    private static int FindClose(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
