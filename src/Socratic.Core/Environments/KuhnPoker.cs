// Kuhn Poker: a three-card deck (J < Q < K), each player antes 1 and is dealt one card the other never sees.
// The first player checks or bets 1; facing a check the second checks (showdown for 1) or bets; facing a bet a
// player calls (showdown for 2) or folds (loses the ante). A move is "MOVE: check|bet|call|fold"; a move not
// legal at that point (calling when nobody bet) is illegal. Net chips −2…+2 map to a zero-sum score
// (net + 2) / 4. Teaches reasoning under hidden information and bluffing (one of SPIRAL's three games).
using System.Text;
using System.Text.Json.Nodes;
using Socratic.Core.Tasks;

namespace Socratic.Core.Environments;

public sealed record KuhnPokerDefinition : EnvironmentDefinition
{
    /// <summary>The role that acts first.</summary>
    public string First { get; init; } = "first";

    public string Second { get; init; } = "second";

    public override IReadOnlyList<(string Parameter, string Role)> Seats() => [("first", First), ("second", Second)];

    public override void ValidateParameters(Action<string, string> error)
    {
    }

    public override GameEnvironment Create(GameTask task, ulong seed) => new KuhnPoker(this, seed);
}

public sealed class KuhnPoker : GameEnvironment
{
    private const string Ranks = "JQK";
    private static readonly string[] Opening = ["check", "bet"];
    private static readonly string[] FacingBet = ["call", "fold"];

    private readonly KuhnPokerDefinition _definition;
    private readonly List<string> _actions = [];

    public KuhnPoker(KuhnPokerDefinition definition, ulong seed)
        : base("kuhn_poker", definition.Retries)
    {
        _definition = definition;

        // Deal two of the three cards from the seed; the deal is the only randomness in a hand.
        var rng = SplitMix64.ForStream(seed, 0x4B75686E);
        var first = (int)rng.NextBelow(3);
        var second = (first + 1 + (int)rng.NextBelow(2)) % 3;
        Cards = [Ranks[first], Ranks[second]];
    }

    /// <summary>The cards dealt to the first and the second player.</summary>
    public IReadOnlyList<char> Cards { get; }

    public override IReadOnlyList<string> Roles => [_definition.First, _definition.Second];

    /// <summary>Actions so far, in order ("check", "bet", …).</summary>
    public IReadOnlyList<string> Actions => _actions;

    protected override bool Finished => _actions is ["check", "check"] or [.., "call"] or [.., "fold"];

    protected override string NextRole => _actions.Count % 2 == 0 ? _definition.First : _definition.Second;

    protected override int MaxMoves => 3;

    protected override string Result => $"{(FirstWins ? "first" : "second")}_wins_{(_actions[^1] == "fold" ? "by_fold" : "showdown")}";

    // A fold loses for the folder (an even count of actions means the second player folded); else the higher card wins.
    private bool FirstWins => _actions[^1] == "fold"
        ? _actions.Count % 2 == 0
        : Ranks.IndexOf(Cards[0], StringComparison.Ordinal) > Ranks.IndexOf(Cards[1], StringComparison.Ordinal);

    private IReadOnlyList<string> Legal => _actions.Count > 0 && _actions[^1] == "bet" ? FacingBet : Opening;

    protected override string MoveFormat(string role) => $"Reply with one line 'MOVE: <action>'; legal now: {string.Join(", ", Legal)}.";

    protected override string Describe(string role)
    {
        var seat = role == _definition.First ? 0 : 1;
        var text = new StringBuilder();
        text.Append("Kuhn Poker. Deck: J < Q < K; each player antes 1 chip. You are the ")
            .Append(seat == 0 ? "first" : "second").Append(" player. Your card: ").Append(Cards[seat]).Append('.');
        text.Append("\nActions so far: ").Append(History(_actions, seat, a => a, ", ")).Append('.');
        return text.ToString();
    }

    protected override string? TryMove(string role, string text)
    {
        var (_, value, error) = MoveText.Find(text, "MOVE");
        if (error is not null)
        {
            return error;
        }

        var action = MoveText.Token(value);
        if (!Legal.Contains(action))
        {
            return Opening.Contains(action) || FacingBet.Contains(action)
                ? $"'{action}' is not legal now; legal: {string.Join(", ", Legal)}"
                : $"'{MoveText.Short(value)}' is not an action; actions are check, bet, call, fold";
        }

        _actions.Add(action);
        return null;
    }

    /// <summary>The first player's net chips: ±1 for a fold or a check-check showdown, ±2 for a called bet.</summary>
    public int FirstPlayerNet()
    {
        var pot = _actions.Contains("call") ? 2 : 1;
        return FirstWins ? pot : -pot;
    }

    protected override IReadOnlyDictionary<string, double> FinalScores()
    {
        var first = (FirstPlayerNet() + 2) / 4.0;
        return new Dictionary<string, double>(StringComparer.Ordinal) { [_definition.First] = first, [_definition.Second] = 1.0 - first };
    }

    protected override void Report(JsonObject details)
    {
        details["cards"] = new JsonObject { [_definition.First] = Cards[0].ToString(), [_definition.Second] = Cards[1].ToString() };
        details["actions"] = new JsonArray([.. _actions.Select(a => (JsonNode)a)]);
        if (Finished && ForfeitedBy is null)
        {
            details["chips"] = new JsonObject { [_definition.First] = FirstPlayerNet(), [_definition.Second] = -FirstPlayerNet() };
        }
    }
}
