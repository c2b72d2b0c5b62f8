// Reads an uploaded task list (JSONL or CSV) into ListTaskItems. Uploads are untrusted: lines/records are
// capped at MaxLineChars and files at MaxItems, and errors name the line. Row-level problems are collected
// (up to MaxErrors) so one upload reports several; structural problems (bad quoting, huge lines) stop at once.
using System.Text;
using System.Text.Json;

namespace Socratic.Core.Tasks;

public static partial class TaskListParser
{
    public const int MaxItems = 100_000;

    /// <summary>Longest line (JSONL) or record (CSV) accepted, in characters (64 K).</summary>
    public const int MaxLineChars = 64 * 1024;

    public const int MaxErrors = 10;

    /// <summary>".jsonl"/".ndjson" → Jsonl, ".csv" → Csv; anything else is an error.</summary>
    public static TaskListFormat FormatFromFileName(string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return ext switch
        {
            ".jsonl" or ".ndjson" => TaskListFormat.Jsonl,
            ".csv" => TaskListFormat.Csv,
            _ => throw new TaskListFormatException($"Unsupported task list file '{fileName}': use .jsonl or .csv."),
        };
    }

    /// <summary>Parses the whole list, or only its first <paramref name="maxItems"/> items for a preview.</summary>
    public static TaskListParseResult Parse(Stream stream, TaskListFormat format, int? maxItems = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Parse(reader, format, maxItems);
    }

    public static TaskListParseResult Parse(string text, TaskListFormat format, int? maxItems = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        return Parse(reader, format, maxItems);
    }

    public static TaskListParseResult Parse(TextReader reader, TaskListFormat format, int? maxItems = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (maxItems is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxItems), "maxItems must be ≥ 0.");
        }

        var limit = Math.Min(maxItems ?? MaxItems, MaxItems);
        var state = new ParseState();
        var truncated = format switch
        {
            TaskListFormat.Jsonl => ParseJsonl(reader, limit, state),
            TaskListFormat.Csv => ParseCsv(reader, limit, state),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };

        if (truncated && maxItems is null or > MaxItems)
        {
            state.Fatal(state.LastLine, $"more than {MaxItems} items; split the list");
        }

        state.ThrowIfErrors();
        if (state.Items.Count == 0 && maxItems is not 0)
        {
            throw new TaskListFormatException([new TaskListError(Math.Max(1, state.LastLine), "the list has no items")]);
        }

        return new TaskListParseResult(state.Items, truncated);
    }

    private sealed class ParseState
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public List<ListTaskItem> Items { get; } = [];

        public List<TaskListError> Errors { get; } = [];

        public int LastLine { get; set; }

        public void Error(int line, string message)
        {
            Errors.Add(new TaskListError(line, message));
            if (Errors.Count >= MaxErrors)
            {
                ThrowIfErrors();
            }
        }

        public void Fatal(int line, string message)
        {
            Errors.Add(new TaskListError(line, message));
            ThrowIfErrors();
        }

        public void ThrowIfErrors()
        {
            if (Errors.Count > 0)
            {
                throw new TaskListFormatException([.. Errors]);
            }
        }

        /// <summary>Adds the item unless its prompt is empty or its id repeats; reports either on <paramref name="line"/>.</summary>
        public void Add(int line, ListTaskItem item)
        {
            if (string.IsNullOrWhiteSpace(item.Prompt))
            {
                Error(line, "prompt is missing or empty");
                return;
            }

            if (item.Id is not null && !_ids.Add(item.Id))
            {
                Error(line, $"duplicate id '{item.Id}'");
                return;
            }

            Items.Add(item);
        }
    }
}
