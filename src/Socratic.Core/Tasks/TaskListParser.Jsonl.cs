// TaskListParser, JSONL: one object per line; "prompt" required; "id" and "answer" strings (numbers accepted
// as their text); every other field kept in Fields as text (strings as-is, numbers/booleans/objects as JSON,
// nulls dropped). Blank lines are skipped.
using System.Text;
using System.Text.Json;

namespace Socratic.Core.Tasks;

public static partial class TaskListParser
{
    private static bool ParseJsonl(TextReader reader, int limit, ParseState state)
    {
        var lineNumber = 0;
        while (ReadBoundedLine(reader, ++lineNumber, state) is { } line)
        {
            state.LastLine = lineNumber;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (state.Items.Count >= limit)
            {
                return true;
            }

            if (ParseJsonlLine(line, lineNumber, state) is { } item)
            {
                state.Add(lineNumber, item);
            }
        }

        return false;
    }

    private static ListTaskItem? ParseJsonlLine(string line, int lineNumber, ParseState state)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            state.Error(lineNumber, $"invalid JSON: {e.Message.Split(" LineNumber:")[0].TrimEnd()}");
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                state.Error(lineNumber, "each line must be a JSON object");
                return null;
            }

            string? id = null, prompt = null, answer = null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name))
                {
                    state.Error(lineNumber, $"duplicate field '{p.Name}'");
                    return null;
                }

                switch (p.Name)
                {
                    case "prompt" when p.Value.ValueKind != JsonValueKind.String:
                        state.Error(lineNumber, "\"prompt\" must be a string");
                        return null;
                    case "prompt":
                        prompt = p.Value.GetString();
                        break;
                    case "id" or "answer":
                        if (!TryScalarText(p.Value, out var text))
                        {
                            state.Error(lineNumber, $"\"{p.Name}\" must be a string or a number");
                            return null;
                        }

                        if (p.Name == "id")
                        {
                            id = text;
                        }
                        else
                        {
                            answer = text;
                        }

                        break;
                    default:
                        if (p.Value.ValueKind != JsonValueKind.Null)
                        {
                            fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                        }

                        break;
                }
            }

            return new ListTaskItem { Id = id, Prompt = prompt ?? "", Answer = answer, Fields = fields };
        }
    }

    private static bool TryScalarText(JsonElement value, out string? text)
    {
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return text is not null || value.ValueKind == JsonValueKind.Null;
    }

    /// <summary>Reads one line (without its terminator), failing on lines longer than MaxLineChars; null at the end.</summary>
    private static string? ReadBoundedLine(TextReader reader, int lineNumber, ParseState state)
    {
        var sb = new StringBuilder();
        int c;
        while ((c = reader.Read()) != -1)
        {
            if (c == '\n')
            {
                return sb.ToString();
            }

            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    reader.Read();
                }

                return sb.ToString();
            }

            if (sb.Length >= MaxLineChars)
            {
                state.Fatal(lineNumber, $"line is longer than {MaxLineChars} characters");
            }

            sb.Append((char)c);
        }

        return sb.Length > 0 ? sb.ToString() : null;
    }
}
