// TaskListParser, CSV (RFC 4180): a header row, then one record per row. Fields may be quoted ("a, b"),
// quotes inside quoted fields are doubled (""), and quoted fields may span lines. Columns "prompt" (required),
// "answer" and "id" are matched case-insensitively; every other column goes to Fields under its header.
// Empty answer/id cells mean "none". Blank rows are skipped.
using System.Text;

namespace Socratic.Core.Tasks;

public static partial class TaskListParser
{
    private static bool ParseCsv(TextReader reader, int limit, ParseState state)
    {
        var csv = new CsvReader(reader, state);
        var header = csv.ReadRecord();
        if (header is null)
        {
            state.Fatal(1, "the file is empty; expected a header row with a 'prompt' column");
            return false;
        }

        var columns = header.Fields.Select(h => h.Trim()).ToArray();
        int promptCol = -1, answerCol = -1, idCol = -1;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length == 0)
            {
                state.Fatal(header.Line, $"column {i + 1} has an empty header");
            }

            if (!seen.Add(columns[i]))
            {
                state.Fatal(header.Line, $"duplicate column '{columns[i]}'");
            }

            switch (columns[i].ToLowerInvariant())
            {
                case "prompt": promptCol = i; break;
                case "answer": answerCol = i; break;
                case "id": idCol = i; break;
            }
        }

        if (promptCol < 0)
        {
            state.Fatal(header.Line, $"the header has no 'prompt' column (found: {string.Join(", ", columns)})");
        }

        while (csv.ReadRecord() is { } record)
        {
            state.LastLine = record.Line;
            if (record.Fields.Count == 1 && record.Fields[0].Length == 0)
            {
                continue; // blank row
            }

            if (state.Items.Count >= limit)
            {
                return true;
            }

            if (record.Fields.Count != columns.Length)
            {
                state.Error(record.Line, $"expected {columns.Length} fields (as in the header) but found {record.Fields.Count}");
                continue;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                if (i != promptCol && i != answerCol && i != idCol)
                {
                    fields[columns[i]] = record.Fields[i];
                }
            }

            state.Add(record.Line, new ListTaskItem
            {
                Prompt = record.Fields[promptCol],
                Answer = answerCol >= 0 && record.Fields[answerCol].Length > 0 ? record.Fields[answerCol] : null,
                Id = idCol >= 0 && record.Fields[idCol].Length > 0 ? record.Fields[idCol] : null,
                Fields = fields,
            });
        }

        return false;
    }

    /// <param name="Line">1-based line on which the record starts.</param>
    private sealed record CsvRecord(int Line, List<string> Fields);

    private sealed class CsvReader(TextReader reader, ParseState state)
    {
        private int _line = 1;

        public CsvRecord? ReadRecord()
        {
            if (reader.Peek() == -1)
            {
                return null;
            }

            var start = _line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var closedQuote = false; // just left a quoted field: only ',' or a line end may follow
            var quoteLine = 0;
            var length = 0;
            while (true)
            {
                var c = reader.Read();
                if (c == -1)
                {
                    if (inQuotes)
                    {
                        state.Fatal(quoteLine, "a quoted field is never closed");
                    }

                    break;
                }

                if (++length > MaxLineChars)
                {
                    state.Fatal(start, $"record is longer than {MaxLineChars} characters");
                }

                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            inQuotes = false;
                            closedQuote = true;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            _line++;
                        }

                        field.Append((char)c);
                    }

                    continue;
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    closedQuote = false;
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        reader.Read();
                    }

                    _line++;
                    break;
                }
                else if (c == '"')
                {
                    if (field.Length > 0 || closedQuote)
                    {
                        state.Fatal(_line, "unexpected quote inside an unquoted field (quote the whole field and double inner quotes)");
                    }

                    inQuotes = true;
                    quoteLine = _line;
                }
                else if (closedQuote)
                {
                    state.Fatal(_line, "unexpected text after a closing quote (expected ',' or the end of the line)");
                }
                else
                {
                    field.Append((char)c);
                }
            }

            fields.Add(field.ToString());
            return new CsvRecord(start, fields);
        }
    }
}
