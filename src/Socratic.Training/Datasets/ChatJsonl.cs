// JSON-lines datasets for the three objectives, one object per line (blank lines skipped):
//   SFT:        {"messages":[{"role":"system|user|assistant","content":"..."}, ...]}   (≥ 1 assistant turn)
//   preference: {"prompt":"...","chosen":"...","rejected":"..."}
//   groups:     {"prompt":"...","completions":[{"text":"...","score":0.5}, ...]}     (≥ 2 completions)
// Every error names the file and the 1-based line so a user can fix the data.
using System.Text.Json;

namespace Socratic.Training.Datasets;

public sealed record ChatMessage(string Role, string Content);
public sealed record ChatRecord(int LineNumber, IReadOnlyList<ChatMessage> Messages);
public sealed record PreferenceRecord(int LineNumber, string Prompt, string Chosen, string Rejected);
public sealed record GroupCompletion(string Text, double Score);
public sealed record GroupRecord(int LineNumber, string Prompt, IReadOnlyList<GroupCompletion> Completions);

/// <summary>A dataset line that cannot be used; <see cref="LineNumber"/> is 1-based.</summary>
public sealed class DatasetFormatException(string source, int lineNumber, string problem, Exception? inner = null)
    : FormatException($"{source}:{lineNumber}: {problem}", inner)
{
    public string DatasetSource { get; } = source;
    public int LineNumber { get; } = lineNumber;
}

public static class ChatJsonl
{
    public static IReadOnlyList<ChatRecord> ReadChat(string path) => ReadChat(File.OpenText(path), path);
    public static IReadOnlyList<PreferenceRecord> ReadPreferences(string path) => ReadPreferences(File.OpenText(path), path);
    public static IReadOnlyList<GroupRecord> ReadGroups(string path) => ReadGroups(File.OpenText(path), path);

    public static IReadOnlyList<ChatRecord> ReadChat(TextReader reader, string source = "<input>") =>
        Lines(reader, source, (root, line) =>
        {
            if (!root.TryGetProperty("messages", out var msgs) || msgs.ValueKind != JsonValueKind.Array)
                throw new DatasetFormatException(source, line, "expected an object with a \"messages\" array");
            var list = new List<ChatMessage>();
            foreach (var m in msgs.EnumerateArray())
            {
                string role = Str(m, "role", source, line);
                if (role is not ("system" or "user" or "assistant"))
                    throw new DatasetFormatException(source, line, $"unknown role \"{role}\" (system, user or assistant)");
                list.Add(new ChatMessage(role, Str(m, "content", source, line)));
            }
            if (!list.Any(m => m.Role == "assistant"))
                throw new DatasetFormatException(source, line, "no assistant turn: nothing to train on");
            return new ChatRecord(line, list);
        });

    public static IReadOnlyList<PreferenceRecord> ReadPreferences(TextReader reader, string source = "<input>") =>
        Lines(reader, source, (root, line) =>
            new PreferenceRecord(line, Str(root, "prompt", source, line), Str(root, "chosen", source, line), Str(root, "rejected", source, line)));

    public static IReadOnlyList<GroupRecord> ReadGroups(TextReader reader, string source = "<input>") =>
        Lines(reader, source, (root, line) =>
        {
            string prompt = Str(root, "prompt", source, line);
            if (!root.TryGetProperty("completions", out var cs) || cs.ValueKind != JsonValueKind.Array)
                throw new DatasetFormatException(source, line, "expected a \"completions\" array");
            var list = new List<GroupCompletion>();
            foreach (var c in cs.EnumerateArray())
            {
                if (!c.TryGetProperty("score", out var s) || s.ValueKind != JsonValueKind.Number)
                    throw new DatasetFormatException(source, line, "completion without a numeric \"score\"");
                list.Add(new GroupCompletion(Str(c, "text", source, line), s.GetDouble()));
            }
            if (list.Count < 2) throw new DatasetFormatException(source, line, "a group needs at least two completions");
            return new GroupRecord(line, prompt, list);
        });

    static List<T> Lines<T>(TextReader reader, string source, Func<JsonElement, int, T> parse)
    {
        using (reader)
        {
            var result = new List<T>();
            int line = 0;
            for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                JsonDocument doc;
                try { doc = JsonDocument.Parse(text); }
                catch (JsonException e) { throw new DatasetFormatException(source, line, "invalid JSON: " + e.Message, e); }
                using (doc)
                {
                    if (doc.RootElement.ValueKind != JsonValueKind.Object)
                        throw new DatasetFormatException(source, line, "expected a JSON object");
                    result.Add(parse(doc.RootElement, line));
                }
            }
            return result;
        }
    }

    static string Str(JsonElement e, string name, string source, int line) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new DatasetFormatException(source, line, $"missing string \"{name}\"");
}
