// The subset of OpenAI's chat-completions request that a policy can honour, parsed leniently where clients
// differ (content as a string or as text parts, stop as a string or a list, max_tokens or
// max_completion_tokens) and strictly where a wrong guess would mislead (n > 1, unknown roles, bad numbers):
// every refusal names the field, in OpenAI's error shape, so SDK clients show it.
using System.Text.Json;
using Socratic.Core.Policies;

namespace Socratic.Web.Serving;

public sealed record ChatCompletionRequest(
    string Model, IReadOnlyList<ChatMessage> Messages, float? Temperature, float? TopP, int? TopK, int? MaxTokens,
    IReadOnlyList<string> Stop, uint? Seed, bool Stream, bool IncludeUsage);

public sealed class OpenAiRequestException(string param, string message) : Exception(message)
{
    public string Param { get; } = param;
}

public static class ChatCompletionParser
{
    public static ChatCompletionRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OpenAiRequestException("$", "the body must be a JSON object");
        }

        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "default";
        if (!root.TryGetProperty("messages", out var msgs) || msgs.ValueKind != JsonValueKind.Array || msgs.GetArrayLength() == 0)
        {
            throw new OpenAiRequestException("messages", "'messages' must be a non-empty array");
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var message in msgs.EnumerateArray())
        {
            messages.Add(ParseMessage(message, $"messages[{index++}]"));
        }

        if (root.TryGetProperty("n", out var n) && (n.ValueKind != JsonValueKind.Number || n.GetInt32() != 1))
        {
            throw new OpenAiRequestException("n", "only n = 1 is supported");
        }

        var stop = new List<string>();
        if (root.TryGetProperty("stop", out var s))
        {
            if (s.ValueKind == JsonValueKind.String)
            {
                stop.Add(s.GetString()!);
            }
            else if (s.ValueKind == JsonValueKind.Array)
            {
                stop.AddRange(s.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new OpenAiRequestException("stop", "'stop' entries must be strings")));
            }
            else if (s.ValueKind != JsonValueKind.Null)
            {
                throw new OpenAiRequestException("stop", "'stop' must be a string or an array of strings");
            }
        }

        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        return new ChatCompletionRequest(
            model, messages,
            Number(root, "temperature", 0, 2) is { } t ? (float)t : null,
            Number(root, "top_p", 0, 1) is { } p ? (float)p : null,
            Number(root, "top_k", 0, 1000) is { } k ? (int)k : null,
            (Number(root, "max_completion_tokens", 1, int.MaxValue) ?? Number(root, "max_tokens", 1, int.MaxValue)) is { } max ? (int)max : null,
            stop,
            Number(root, "seed", long.MinValue, long.MaxValue) is { } seed ? unchecked((uint)(long)seed) : null,
            root.TryGetProperty("stream", out var st) && st.ValueKind == JsonValueKind.True,
            includeUsage);
    }

    private static ChatMessage ParseMessage(JsonElement message, string path)
    {
        var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var chatRole = role switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw new OpenAiRequestException($"{path}.role", $"role '{role}' is not supported (system, developer, user, assistant)"),
        };
        if (!message.TryGetProperty("content", out var content))
        {
            throw new OpenAiRequestException($"{path}.content", "'content' is required");
        }

        var text = content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(part =>
                part.TryGetProperty("type", out var type) && type.GetString() == "text" && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : throw new OpenAiRequestException($"{path}.content", "only text content parts are supported"))),
            _ => throw new OpenAiRequestException($"{path}.content", "'content' must be a string or an array of text parts"),
        };
        return new ChatMessage(chatRole, text);
    }

    private static double? Number(JsonElement root, string name, double min, double max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max)
        {
            throw new OpenAiRequestException(name, $"'{name}' must be a number between {min} and {max}");
        }

        return value.GetDouble();
    }
}
