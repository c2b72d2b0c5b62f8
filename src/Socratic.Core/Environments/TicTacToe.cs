// TicTacToe on a 3×3 board: cells a1…c3 (column letter, row number), X moves first, three in a row wins, a
// full board is a draw. A move is "MOVE: b2"; an occupied or unknown cell is illegal. Scores: win 1, draw 0.5,
// loss 0 (zero-sum). Teaches reading a position and planning a line of play (one of SPIRAL's three games).
using System.Text;
using System.Text.Json.Nodes;
using Socratic.Core.Tasks;

namespace Socratic.Core.Environments;

public sealed record TicTacToeDefinition : EnvironmentDefinition
{
    /// <summary>The role playing X (moves first).</summary>
    public string X { get; init; } = "x";

    /// <summary>The role playing O.</summary>
    public string O { get; init; } = "o";

    public override IReadOnlyList<(string Parameter, string Role)> Seats() => [("x", X), ("o", O)];

    public override void ValidateParameters(Action<string, string> error)
    {
    }

    public override GameEnvironment Create(GameTask task, ulong seed) => new TicTacToe(this);
}

public sealed class TicTacToe(TicTacToeDefinition definition) : GameEnvironment("tictactoe", definition.Retries)
{
    private static readonly int[][] Lines =
    [
        [0, 1, 2], [3, 4, 5], [6, 7, 8], // rows 1, 2, 3
        [0, 3, 6], [1, 4, 7], [2, 5, 8], // columns a, b, c
        [0, 4, 8], [2, 4, 6],
    ];

    // Index = (row - 1) * 3 + column; ' ' is empty.
    private readonly char[] _board = [.. "         "];
    private readonly List<string> _moves = [];

    public override IReadOnlyList<string> Roles => [definition.X, definition.O];

    /// <summary>The mark that has three in a row, if any.</summary>
    public char? Winner => Lines.FirstOrDefault(l => _board[l[0]] != ' ' && _board[l[0]] == _board[l[1]] && _board[l[1]] == _board[l[2]]) is { } line
        ? _board[line[0]]
        : null;

    protected override bool Finished => Winner is not null || _moves.Count == 9;

    protected override string NextRole => _moves.Count % 2 == 0 ? definition.X : definition.O;

    protected override int MaxMoves => 9;

    protected override string Result => Winner switch
    {
        'X' => "x_wins",
        'O' => "o_wins",
        _ => "draw",
    };

    public static string CellName(int index) => $"{(char)('a' + (index % 3))}{(index / 3) + 1}";

    protected override string MoveFormat(string role) => "Reply with one line 'MOVE: <cell>', e.g. 'MOVE: b2'.";

    protected override string Describe(string role)
    {
        var mark = role == definition.X ? 'X' : 'O';
        var text = new StringBuilder();
        text.Append("You play ").Append(mark).Append(". Board (columns a-c, rows 1-3; . is empty):\n");
        text.Append("  a b c\n");
        for (var row = 0; row < 3; row++)
        {
            text.Append(row + 1);
            for (var col = 0; col < 3; col++)
            {
                var c = _board[(row * 3) + col];
                text.Append(' ').Append(c == ' ' ? '.' : c);
            }

            text.Append('\n');
        }

        var free = Enumerable.Range(0, 9).Where(i => _board[i] == ' ').Select(CellName);
        text.Append("Free cells: ").Append(string.Join(", ", free));
        return text.ToString();
    }

    protected override string? TryMove(string role, string text)
    {
        var (_, value, error) = MoveText.Find(text, "MOVE");
        if (error is not null)
        {
            return error;
        }

        var cell = MoveText.Token(value);
        if (cell.Length != 2 || cell[0] is < 'a' or > 'c' || cell[1] is < '1' or > '3')
        {
            return $"'{MoveText.Short(value)}' is not a cell; cells are a1 to c3";
        }

        var index = ((cell[1] - '1') * 3) + (cell[0] - 'a');
        if (_board[index] != ' ')
        {
            return $"cell {cell} is already taken by {_board[index]}";
        }

        _board[index] = role == definition.X ? 'X' : 'O';
        _moves.Add(cell);
        return null;
    }

    protected override IReadOnlyDictionary<string, double> FinalScores()
    {
        var x = Winner switch { 'X' => 1.0, 'O' => 0.0, _ => 0.5 };
        return new Dictionary<string, double>(StringComparer.Ordinal) { [definition.X] = x, [definition.O] = 1.0 - x };
    }

    protected override void Report(JsonObject details)
    {
        details["moves"] = new JsonArray([.. _moves.Select(m => (JsonNode)m)]);
        details["board"] = new string([.. _board.Select(c => c == ' ' ? '.' : c)]);
    }
}
