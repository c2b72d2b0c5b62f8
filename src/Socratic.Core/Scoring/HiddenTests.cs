// The hidden tests of a python_tests task: a JSON list of {"args": [...], "expected": <any JSON>}, and the
// equality the host judges returns by. Equality is structural JSON: integers exactly (any size), other numbers
// to a relative 1e-9, true is not 1, key order does not matter.
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Socratic.Core.Scoring;

public sealed record HiddenTest(JsonArray Args, JsonNode? Expected);

public static class HiddenTests
{
    /// <summary>Parses the rendered Tests text; throws <see cref="FormatException"/> naming the bad element.</summary>
    public static IReadOnlyList<HiddenTest> Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"tests are not valid JSON: {e.Message}", e);
        }

        if (root is not JsonArray list || list.Count == 0)
        {
            throw new FormatException("tests must be a non-empty JSON list of {\"args\": [...], \"expected\": ...}");
        }

        var tests = new List<HiddenTest>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject o || o["args"] is not JsonArray args || !o.ContainsKey("expected"))
            {
                throw new FormatException($"tests[{i}] must be an object with an \"args\" list and an \"expected\" value");
            }

            tests.Add(new HiddenTest(args, o["expected"]));
        }

        return tests;
    }

    public static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && Same(p.Value, v)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonValue x, JsonValue y) => SameValue(x, y),
        _ => false,
    };

    private static bool SameValue(JsonValue a, JsonValue b)
    {
        var kind = a.GetValueKind();
        if (kind != b.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => SameNumber(a.ToJsonString(), b.ToJsonString()),
            _ => true, // true, false, null: same kind is same value
        };
    }

    private static bool SameNumber(string a, string b)
    {
        if (BigInteger.TryParse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x)
            && BigInteger.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y))
        {
            return x == y;
        }

        var p = double.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture);
        var q = double.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture);
        return Math.Abs(p - q) <= 1e-9 * Math.Max(1.0, Math.Max(Math.Abs(p), Math.Abs(q)));
    }
}
