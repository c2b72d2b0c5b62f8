// The turn-taking and penalty rules every environment shares, so each game file holds only its own rules.
// A role's reply is one attempt at a move. An unparseable or illegal attempt is recorded and rejected; the
// same role moves again and sees why (Retries more attempts), after which it forfeits and the game ends.
// State changes only through Submit, in turn order, so replaying the stored turns of an episode rebuilds
// exactly the state the episode had: that is how an interrupted episode resumes and how it is scored.
using System.Text.Json.Nodes;

namespace Socratic.Core.Environments;

public abstract class GameEnvironment(string kind, int retries)
{
    /// <summary>Rejected replies are cut to this length in the record; the transcript has the full text.</summary>
    public const int MaxRecordedChars = 200;

    private readonly List<InvalidMove> _invalid = [];
    private int _failures;
    private string? _lastError;

    public string Kind { get; } = kind;

    /// <summary>The role that forfeited by running out of attempts, if one did.</summary>
    public string? ForfeitedBy { get; private set; }

    /// <summary>Every rejected attempt, in order.</summary>
    public IReadOnlyList<InvalidMove> InvalidMoves => _invalid;

    /// <summary>The roles that take part, in seat order.</summary>
    public abstract IReadOnlyList<string> Roles { get; }

    public bool IsOver => ForfeitedBy is not null || Finished;

    /// <summary>The role to move, or null when the game is over.</summary>
    public string? ToMove => IsOver ? null : NextRole;

    /// <summary>Why the episode ended: "game_over:RESULT" or "forfeit:ROLE"; null while it goes on.</summary>
    public string? EndReason => ForfeitedBy is { } f ? $"forfeit:{f}" : Finished ? $"game_over:{Result}" : null;

    /// <summary>An upper bound on the replies a game can take, retries included (guards the engine's loop).</summary>
    public int TurnLimit => MaxMoves * (retries + 1);

    protected abstract bool Finished { get; }

    protected abstract string NextRole { get; }

    /// <summary>Legal moves that can be made at most, all roles together.</summary>
    protected abstract int MaxMoves { get; }

    /// <summary>Short name of the finished game's result, e.g. "x_wins", "draw", "deal".</summary>
    protected abstract string Result { get; }

    /// <summary>How a move is written (and which are legal now), shown to the role to move.</summary>
    protected abstract string MoveFormat(string role);

    /// <summary>What <paramref name="role"/> may know now: public state plus its own private information only.</summary>
    protected abstract string Describe(string role);

    /// <summary>Parses and rules on the text of the role to move; applies the move and returns null, or returns why it was rejected.</summary>
    protected abstract string? TryMove(string role, string text);

    /// <summary>Each role's score in [0, 1] when the game finished by its rules.</summary>
    protected abstract IReadOnlyDictionary<string, double> FinalScores();

    /// <summary>Game-specific facts for the score details (final board, cards, secret, …).</summary>
    protected abstract void Report(JsonObject details);

    /// <summary>Each role's score after <paramref name="forfeiter"/> forfeited: by default it loses and every other role wins.</summary>
    protected virtual IReadOnlyDictionary<string, double> ForfeitScores(string forfeiter) =>
        Roles.ToDictionary(r => r, r => r == forfeiter ? 0.0 : 1.0, StringComparer.Ordinal);

    /// <summary>
    /// The observation given to <paramref name="role"/>; for the role to move it ends with how to write a move,
    /// preceded by why its last attempt was rejected when it is trying again.
    /// </summary>
    public string Observe(string role)
    {
        var text = Describe(role);
        if (role != ToMove)
        {
            return text;
        }

        var retry = _lastError is { } why ? $"Your last reply was rejected: {why}. Attempts left: {retries + 1 - _failures}. " : "";
        return $"{text}\n{retry}{MoveFormat(role)}";
    }

    /// <summary>A two-player history seen from <paramref name="seat"/> (seat 0 moved first): "you bet, opponent call", or "none".</summary>
    protected static string History<T>(IReadOnlyList<T> moves, int seat, Func<T, string> render, string separator) =>
        moves.Count == 0 ? "none" : string.Join(separator, moves.Select((m, i) => $"{(i % 2 == seat ? "you" : "opponent")} {render(m)}"));

    /// <summary>Rules on the reply of turn <paramref name="turnIndex"/>; true when it was a legal move.</summary>
    public bool Submit(int turnIndex, string role, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ToMove != role)
        {
            throw new InvalidOperationException(IsOver
                ? $"Turn {turnIndex} by '{role}' comes after the game ended ({EndReason})."
                : $"Turn {turnIndex} is by '{role}' but the rules say '{NextRole}' moves.");
        }

        var why = TryMove(role, text);
        if (why is null)
        {
            _failures = 0;
            _lastError = null;
            return true;
        }

        _failures++;
        _invalid.Add(new InvalidMove(turnIndex, role, why, text.Length <= MaxRecordedChars ? text : text[..MaxRecordedChars] + "…"));
        _lastError = why;
        if (_failures > retries)
        {
            ForfeitedBy = role;
        }

        return false;
    }

    /// <summary>The grounded result of a finished game: each role's score and what happened.</summary>
    public EnvironmentOutcome Outcome()
    {
        if (!IsOver)
        {
            throw new InvalidOperationException("The game is not over.");
        }

        var details = new JsonObject
        {
            ["environment"] = Kind,
            ["result"] = ForfeitedBy is null ? Result : "forfeit",
            ["endReason"] = EndReason,
        };
        if (ForfeitedBy is not null)
        {
            details["forfeitedBy"] = ForfeitedBy;
        }

        details["invalidMoves"] = new JsonArray([.. _invalid.Select(m => (JsonNode)m.ToJson())]);
        Report(details);
        var scores = ForfeitedBy is { } f ? ForfeitScores(f) : FinalScores();
        return new EnvironmentOutcome(EndReason!, scores, details);
    }
}

/// <summary>A rejected attempt: which turn, whose, why, and (the start of) what was written.</summary>
public sealed record InvalidMove(int Turn, string Role, string Reason, string Text)
{
    public JsonObject ToJson() => new() { ["turn"] = Turn, ["role"] = Role, ["reason"] = Reason, ["text"] = Text };
}

/// <param name="EndReason">"game_over:RESULT" or "forfeit:ROLE".</param>
/// <param name="Scores">Each role's score in [0, 1].</param>
/// <param name="Details">What happened, for the score details (shared by every role's score).</param>
public sealed record EnvironmentOutcome(string EndReason, IReadOnlyDictionary<string, double> Scores, JsonObject Details);
