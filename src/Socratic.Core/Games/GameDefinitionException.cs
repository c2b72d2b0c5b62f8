// The single error type for a game file that cannot be used: malformed JSON, unknown kinds or fields, or
// semantic problems. Carries every error found (with its JSON path) so the editor can mark them all at once.
namespace Socratic.Core.Games;

/// <param name="Field">JSON path of the offending value, e.g. "$.scoring[0].kind" ("$" for the whole document).</param>
/// <param name="Message">What is wrong, phrased for a game author.</param>
public sealed record GameValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

public sealed class GameDefinitionException : Exception
{
    public GameDefinitionException(IReadOnlyList<GameValidationError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public GameDefinitionException(GameValidationError error, Exception? inner = null)
        : base(error.ToString(), inner)
    {
        Errors = [error];
    }

    public GameDefinitionException()
        : this([])
    {
    }

    public GameDefinitionException(string message)
        : this(new GameValidationError("$", message))
    {
    }

    public GameDefinitionException(string message, Exception innerException)
        : this(new GameValidationError("$", message), innerException)
    {
    }

    public IReadOnlyList<GameValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<GameValidationError> errors) => errors.Count switch
    {
        0 => "The game definition is invalid.",
        1 => errors[0].ToString(),
        _ => $"The game definition has {errors.Count} errors:\n" + string.Join("\n", errors.Select(e => "  " + e)),
    };
}
