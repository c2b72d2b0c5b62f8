// Small helper for the jsonb "Metrics" bag on a generation: add or replace one named value, keep the rest.
using System.Text.Json.Nodes;

namespace Socratic.Web.Campaigns;

internal static class Metrics
{
    public static string With(string json, string key, JsonNode? value)
    {
        var node = (string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json)) as JsonObject ?? [];
        node[key] = value;
        return node.ToJsonString();
    }
}
