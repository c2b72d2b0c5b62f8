// A simple negotiation over a pool of items (e.g. 3 books, 2 hats, 1 ball). Each player privately values each
// item type (0…MaxValue points, drawn from the seed; the other player never sees them). Players take turns;
// a move is "PROPOSE: book=2 hat=0 ball=1" (what the proposer keeps; the rest goes to the other) or "ACCEPT"
// (takes the other's standing offer). A deal ends the game. After MaxOffers offers the player to move must
// ACCEPT or REJECT the last one; REJECT (allowed only then; before, a counter-offer is the way to say no) ends
// the game without a deal. Each player's gain is the share of its own total value it ends with (0 without a deal), and the
// zero-sum score is 0.5 + (mine − theirs) / 2. Teaches strategic bargaining under private preferences (one of
// SPIRAL's three games).
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Socratic.Core.Tasks;

namespace Socratic.Core.Environments;

public sealed record NegotiationDefinition : EnvironmentDefinition
{
    public const int MaxItemTypes = 6;
    public const int MaxCount = 10;

    /// <summary>The role that makes the first offer.</summary>
    public string First { get; init; } = "first";

    public string Second { get; init; } = "second";

    /// <summary>The pool; names are single lower-case words.</summary>
    public IReadOnlyList<NegotiationItem> Items { get; init; } =
        [new() { Name = "book", Count = 3 }, new() { Name = "hat", Count = 2 }, new() { Name = "ball", Count = 1 }];

    /// <summary>A player's value of one item is drawn uniformly from 0…MaxValue.</summary>
    public int MaxValue { get; init; } = 5;

    /// <summary>Offers allowed before the game ends without a deal; the last offer can still be accepted.</summary>
    public int MaxOffers { get; init; } = 4;

    public override IReadOnlyList<(string Parameter, string Role)> Seats() => [("first", First), ("second", Second)];

    public override void ValidateParameters(Action<string, string> error)
    {
        if (Items.Count is < 1 or > MaxItemTypes)
        {
            error("$.environment.items", $"between 1 and {MaxItemTypes} item types are needed");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            if (!Regex.IsMatch(item.Name, "^[a-z]{1,20}$"))
            {
                error($"$.environment.items[{i}].name", $"'{item.Name}' must be one lower-case word (a-z, at most 20 letters)");
            }
            else if (!names.Add(item.Name))
            {
                error($"$.environment.items[{i}].name", $"duplicate item '{item.Name}'");
            }

            if (item.Count is < 1 or > MaxCount)
            {
                error($"$.environment.items[{i}].count", $"count must be between 1 and {MaxCount}");
            }
        }

        if (MaxValue is < 1 or > 100)
        {
            error("$.environment.maxValue", "maxValue must be between 1 and 100");
        }

        if (MaxOffers is < 1 or > 20)
        {
            error("$.environment.maxOffers", "maxOffers must be between 1 and 20");
        }
    }

    public override GameEnvironment Create(GameTask task, ulong seed) => new Negotiation(this, seed);
}

public sealed record NegotiationItem
{
    public string Name { get; init; } = "";

    public int Count { get; init; } = 1;
}

public sealed class Negotiation : GameEnvironment
{
    private readonly NegotiationDefinition _definition;
    private readonly List<int[]> _offers = []; // what the proposer of each offer keeps
    private bool _accepted;
    private bool _rejected;

    public Negotiation(NegotiationDefinition definition, ulong seed)
        : base("negotiation", definition.Retries)
    {
        _definition = definition;

        // Private values; redrawn until each player values the pool at all, so both have something to win.
        var rng = SplitMix64.ForStream(seed, 0x4E65676F);
        Values = [Draw(ref rng), Draw(ref rng)];
    }

    /// <summary>Each player's private value per item type (first, second).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Values { get; }

    public override IReadOnlyList<string> Roles => [_definition.First, _definition.Second];

    protected override bool Finished => _accepted || _rejected;

    protected override string NextRole => _offers.Count % 2 == 0 ? _definition.First : _definition.Second;

    protected override int MaxMoves => _definition.MaxOffers + 1;

    protected override string Result => _accepted ? "deal" : "no_deal";

    private int[] Draw(ref SplitMix64 rng)
    {
        while (true)
        {
            var values = new int[_definition.Items.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (int)rng.NextInRange(0, _definition.MaxValue);
            }

            if (values.Any(v => v > 0))
            {
                return values;
            }
        }
    }

    private bool OffersLeft => _offers.Count < _definition.MaxOffers;

    protected override string MoveFormat(string role) => OffersLeft
        ? $"Reply with one line 'PROPOSE: {string.Join(' ', _definition.Items.Select(i => $"{i.Name}=<n>"))}' (what you keep)"
            + (_offers.Count > 0 ? " or 'ACCEPT' to take the standing offer." : ".")
        : "No offers are left: reply 'ACCEPT' to take the last offer or 'REJECT' to end without a deal.";

    protected override string Describe(string role)
    {
        var seat = role == _definition.First ? 0 : 1;
        var text = new StringBuilder();
        text.Append("Negotiation. Items: ").Append(string.Join(", ", _definition.Items.Select(i => $"{i.Count} {i.Name}")));
        text.Append(".\nYour private values per item: ")
            .Append(string.Join(", ", _definition.Items.Select((it, i) => $"{it.Name}={Values[seat][i]}")));
        text.Append($" (total {Total(seat)}).");
        text.Append($"\nOffers so far ({_offers.Count} of {_definition.MaxOffers}): ")
            .Append(History(_offers, seat, o => $"keep {Render(o)}", "; ")).Append('.');
        return text.ToString();
    }

    protected override string? TryMove(string role, string text)
    {
        var (label, value, error) = MoveText.Find(text, ["PROPOSE"], ["ACCEPT", "REJECT"]);
        if (error is not null)
        {
            return error;
        }

        switch (label)
        {
            case "ACCEPT" when _offers.Count == 0:
                return "there is no offer to accept yet";
            case "ACCEPT":
                _accepted = true;
                return null;
            case "REJECT" when OffersLeft:
                return "REJECT is only for the last offer; make a counter-offer with PROPOSE";
            case "REJECT":
                _rejected = true;
                return null;
            case "PROPOSE" when !OffersLeft:
                return $"no offers are left ({_definition.MaxOffers} made); ACCEPT or REJECT the last one";
        }

        var keep = new int[_definition.Items.Count];
        var seen = new bool[keep.Length];
        foreach (var part in value.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=');
            var index = pair.Length == 2 ? IndexOf(MoveText.Token(pair[0])) : -1;
            if (index < 0)
            {
                return $"'{MoveText.Short(part)}' is not 'item=count'; items: {string.Join(", ", _definition.Items.Select(i => i.Name))}";
            }

            if (!int.TryParse(MoveText.Token(pair[1]), out var n) || n < 0 || n > _definition.Items[index].Count)
            {
                return $"{_definition.Items[index].Name} must be a whole number from 0 to {_definition.Items[index].Count}";
            }

            if (seen[index])
            {
                return $"{_definition.Items[index].Name} is named twice";
            }

            seen[index] = true;
            keep[index] = n;
        }

        if (Array.IndexOf(seen, false) is var missing and >= 0)
        {
            return $"the offer must say how many of every item you keep; {_definition.Items[missing].Name} is missing";
        }

        _offers.Add(keep);
        return null;
    }

    /// <summary>The share of its own total value each player ends with (0 and 0 without a deal).</summary>
    public (double First, double Second) Gains()
    {
        if (!_accepted)
        {
            return (0, 0);
        }

        var offer = _offers[^1];
        var proposer = (_offers.Count - 1) % 2;
        var kept = offer;
        var given = offer.Select((k, i) => _definition.Items[i].Count - k).ToArray();
        var firstGets = proposer == 0 ? kept : given;
        var secondGets = proposer == 0 ? given : kept;
        return (Worth(0, firstGets) / Total(0), Worth(1, secondGets) / Total(1));
    }

    protected override IReadOnlyDictionary<string, double> FinalScores()
    {
        var (first, second) = Gains();
        var score = 0.5 + ((first - second) / 2);
        return new Dictionary<string, double>(StringComparer.Ordinal) { [_definition.First] = score, [_definition.Second] = 1.0 - score };
    }

    protected override void Report(JsonObject details)
    {
        details["values"] = new JsonObject
        {
            [_definition.First] = new JsonArray([.. Values[0].Select(v => (JsonNode)v)]),
            [_definition.Second] = new JsonArray([.. Values[1].Select(v => (JsonNode)v)]),
        };
        details["offers"] = new JsonArray([.. _offers.Select(o => (JsonNode)Render(o))]);
        if (Finished && ForfeitedBy is null)
        {
            var (first, second) = Gains();
            details["gains"] = new JsonObject { [_definition.First] = first, [_definition.Second] = second };
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _definition.Items.Count; i++)
        {
            if (_definition.Items[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private double Total(int seat) => Worth(seat, [.. _definition.Items.Select(i => i.Count)]);

    private double Worth(int seat, int[] counts) => counts.Select((c, i) => (double)c * Values[seat][i]).Sum();

    private string Render(int[] keep) => string.Join(' ', keep.Select((k, i) => $"{_definition.Items[i].Name}={k}"));
}
