// Errors from reading an uploaded task list. Every error names its 1-based line so the user can fix the file.
namespace Socratic.Core.Tasks;

public enum TaskListFormat
{
    /// <summary>One JSON object per line: {"id"?, "prompt", "answer"?, …}.</summary>
    Jsonl,

    /// <summary>RFC 4180 CSV with a header row naming prompt, answer, id and any other columns.</summary>
    Csv,
}

public sealed record TaskListError(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

/// <param name="Items">The items read (at most maxItems when previewing).</param>
/// <param name="Truncated">True when maxItems stopped the read before the end of the file.</param>
public sealed record TaskListParseResult(IReadOnlyList<ListTaskItem> Items, bool Truncated);

public sealed class TaskListFormatException : FormatException
{
    public TaskListFormatException(IReadOnlyList<TaskListError> errors)
        : base(errors.Count == 1 ? errors[0].ToString() : string.Join("\n", errors))
    {
        Errors = errors;
    }

    public TaskListFormatException()
        : this([])
    {
    }

    public TaskListFormatException(string message)
        : this([new TaskListError(0, message)])
    {
    }

    public TaskListFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new TaskListError(0, message)];
    }

    public IReadOnlyList<TaskListError> Errors { get; }
}
