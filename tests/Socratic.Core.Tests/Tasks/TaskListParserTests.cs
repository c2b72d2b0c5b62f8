// Uploaded task lists: JSONL and CSV, previews, limits, and errors that name the line.
using System.Text;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Tasks;

public class TaskListParserTests
{
    private static TaskListFormatException Fails(string text, TaskListFormat format) =>
        Assert.Throws<TaskListFormatException>(() => TaskListParser.Parse(text, format));

    [Fact]
    public void Jsonl_reads_id_prompt_answer_and_other_fields()
    {
        const string text = """
            {"id": "q1", "prompt": "2+2?", "answer": "4", "topic": "math"}

            {"prompt": "Capital of France?", "answer": 7, "level": 3, "tags": ["geo"], "note": null}
            """;

        var items = TaskListParser.Parse(text, TaskListFormat.Jsonl).Items;

        Assert.Equal(2, items.Count);
        Assert.Equal(("q1", "2+2?", "4", "math"), (items[0].Id, items[0].Prompt, items[0].Answer, items[0].Fields["topic"]));
        Assert.Null(items[1].Id);
        Assert.Equal("7", items[1].Answer);
        Assert.Equal("3", items[1].Fields["level"]);
        Assert.Equal("[\"geo\"]", items[1].Fields["tags"]);
        Assert.False(items[1].Fields.ContainsKey("note"));
    }

    [Theory]
    [InlineData("{\"prompt\": \"a\"}\n{\"prompt\": }", 2, "invalid JSON")]
    [InlineData("{\"prompt\": \"a\"}\n[1, 2]", 2, "must be a JSON object")]
    [InlineData("{\"prompt\": \"a\"}\n\n{\"answer\": \"x\"}", 3, "prompt is missing")]
    [InlineData("{\"prompt\": 5}", 1, "\"prompt\" must be a string")]
    [InlineData("{\"prompt\": \"a\", \"answer\": {}}", 1, "\"answer\" must be a string or a number")]
    [InlineData("{\"id\": \"x\", \"prompt\": \"a\"}\n{\"id\": \"x\", \"prompt\": \"b\"}", 2, "duplicate id 'x'")]
    [InlineData("{\"prompt\": \"a\", \"prompt\": \"b\"}", 1, "duplicate field 'prompt'")]
    public void Jsonl_errors_name_the_line(string text, int line, string message)
    {
        var e = Fails(text, TaskListFormat.Jsonl);

        var error = Assert.Single(e.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_bad_rows_are_all_reported()
    {
        var e = Fails("{\"x\": 1}\n{\"prompt\": \"ok\"}\n{\"y\": 2}", TaskListFormat.Jsonl);

        Assert.Equal([1, 3], e.Errors.Select(x => x.Line));
    }

    [Fact]
    public void Csv_reads_columns_case_insensitively_and_keeps_others_as_fields()
    {
        const string text = "ID,Prompt,Answer,topic\r\nq1,2+2?,4,math\r\nq2,Name a colour,,art\r\n";

        var items = TaskListParser.Parse(text, TaskListFormat.Csv).Items;

        Assert.Equal(2, items.Count);
        Assert.Equal(("q1", "2+2?", "4", "math"), (items[0].Id, items[0].Prompt, items[0].Answer, items[0].Fields["topic"]));
        Assert.Null(items[1].Answer);
    }

    [Fact]
    public void Csv_handles_rfc4180_quoting()
    {
        const string text = "prompt,answer\n\"Hello, world\",\"He said \"\"hi\"\"\"\n\"line one\nline two\",\"\"\nplain,x\n";

        var items = TaskListParser.Parse(text, TaskListFormat.Csv).Items;

        Assert.Equal(3, items.Count);
        Assert.Equal("Hello, world", items[0].Prompt);
        Assert.Equal("He said \"hi\"", items[0].Answer);
        Assert.Equal("line one\nline two", items[1].Prompt);
        Assert.Null(items[1].Answer);
        Assert.Equal("plain", items[2].Prompt);
    }

    [Theory]
    [InlineData("question,answer\nx,y\n", 1, "no 'prompt' column")]
    [InlineData("prompt,answer\na,b\nc\n", 3, "expected 2 fields")]
    [InlineData("prompt,answer\n\"multi\nline\",b\nc,d,e\n", 4, "expected 2 fields")]
    [InlineData("prompt,answer\na,b\n\"never closed,x\n", 3, "never closed")]
    [InlineData("prompt,answer\nab\"c,d\n", 2, "unexpected quote")]
    [InlineData("prompt,answer\n\"ab\"c,d\n", 2, "after a closing quote")]
    [InlineData("prompt,Prompt\na,b\n", 1, "duplicate column")]
    [InlineData("prompt,answer\n,b\n", 2, "prompt is missing")]
    public void Csv_errors_name_the_line(string text, int line, string message)
    {
        var e = Fails(text, TaskListFormat.Csv);

        var error = Assert.Single(e.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_returns_the_first_items_and_says_it_truncated()
    {
        var text = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"{{\"prompt\": \"p{i}\"}}"));

        var preview = TaskListParser.Parse(text, TaskListFormat.Jsonl, maxItems: 3);
        var all = TaskListParser.Parse(text, TaskListFormat.Jsonl, maxItems: 10);

        Assert.Equal(["p0", "p1", "p2"], preview.Items.Select(i => i.Prompt));
        Assert.True(preview.Truncated);
        Assert.False(all.Truncated);
    }

    [Fact]
    public void Overlong_lines_are_rejected_with_their_line_number()
    {
        var text = "{\"prompt\": \"ok\"}\n{\"prompt\": \"" + new string('x', TaskListParser.MaxLineChars) + "\"}";

        var e = Fails(text, TaskListFormat.Jsonl);

        Assert.Equal(2, e.Errors[^1].Line);
        Assert.Contains("longer than", e.Errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_the_item_limit_is_rejected()
    {
        var sb = new StringBuilder("prompt\n");
        for (var i = 0; i <= TaskListParser.MaxItems; i++)
        {
            sb.Append('p').Append(i).Append('\n');
        }

        var e = Fails(sb.ToString(), TaskListFormat.Csv);

        Assert.Contains("more than 100000 items", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_input_with_a_byte_order_mark_parses()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("prompt,answer\nhi,there\n")).ToArray();
        using var stream = new MemoryStream(bytes);

        var items = TaskListParser.Parse(stream, TaskListFormat.Csv).Items;

        Assert.Equal(("hi", "there"), (items[0].Prompt, items[0].Answer));
    }

    [Fact]
    public void An_empty_list_is_an_error() => Assert.Contains("no items", Fails("prompt\n", TaskListFormat.Csv).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("tasks.jsonl", TaskListFormat.Jsonl)]
    [InlineData("TASKS.NDJSON", TaskListFormat.Jsonl)]
    [InlineData("data.csv", TaskListFormat.Csv)]
    public void Format_follows_the_file_extension(string name, TaskListFormat format) =>
        Assert.Equal(format, TaskListParser.FormatFromFileName(name));

    [Fact]
    public void Unknown_extensions_are_rejected() =>
        Assert.Throws<TaskListFormatException>(() => TaskListParser.FormatFromFileName("data.xlsx"));
}
