// Reads the python_tests harness's records back from the run's stdout. Only lines carrying this run's nonce
// count, and they must arrive as the harness writes them: one "load", then case 0, 1, 2, … once each, then
// "done". Anything else with the nonce means the candidate wrote to the channel itself: the run is "tampered"
// and scores zero whatever it claims. A missing record (the code exited or was killed) is a failed test.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Socratic.Core.Scoring;

public sealed record HarnessCase(int Index, bool Ok, JsonNode? Value, string? Error, double? Milliseconds);

public sealed class HarnessReport
{
    public bool Loaded { get; private set; }

    public string? LoadError { get; private set; }

    public bool Done { get; private set; }

    public string? Tampered { get; private set; }

    public List<HarnessCase> Cases { get; } = [];

    public int StrayLines { get; private set; }

    public static HarnessReport Parse(string stdout, string nonce, int expectedCases)
    {
        var report = new HarnessReport();
        var sawLoad = false;
        foreach (var line in stdout.Split('\n'))
        {
            var record = TryRecord(line, nonce);
            if (record is null)
            {
                report.StrayLines += line.Length > 0 ? 1 : 0;
                continue;
            }

            if (report.Tampered is null)
            {
                try
                {
                    report.Tampered = report.Accept(record, ref sawLoad, expectedCases);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException)
                {
                    report.Tampered = $"malformed record '{Truncate(record.ToJsonString())}'"; // a field of the wrong JSON type
                }
            }
        }

        return report;
    }

    /// <summary>Null when the record is the next one the harness would write, else why it cannot be.</summary>
    private string? Accept(JsonObject record, ref bool sawLoad, int expectedCases)
    {
        var type = (string?)record["t"];
        if (Done)
        {
            return "a record after \"done\"";
        }

        switch (type)
        {
            case "load" when !sawLoad:
                sawLoad = true;
                Loaded = record["ok"]?.GetValue<bool>() == true;
                LoadError = (string?)record["error"];
                return null;
            case "case" when Loaded && record["i"]?.GetValue<int>() is { } i && i == Cases.Count && i < expectedCases:
                var ok = record["ok"]?.GetValue<bool>() == true;
                Cases.Add(new HarnessCase(i, ok, ok ? record["value"]?.DeepClone() : null, (string?)record["error"], (double?)record["ms"]));
                return null;
            case "done" when Loaded && Cases.Count == expectedCases:
                Done = true;
                return null;
            default:
                return $"unexpected record '{Truncate(record.ToJsonString())}'";
        }
    }

    private static JsonObject? TryRecord(string line, string nonce)
    {
        if (!line.Contains(nonce, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(line) is JsonObject o && o["n"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && (string?)n == nonce
                ? o
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
