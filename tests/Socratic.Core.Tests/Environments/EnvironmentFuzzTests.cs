// Model output is untrusted: replies stitched at random from move fragments, junk and markup never crash a
// rule engine, every game ends within its turn limit, scores stay in [0, 1] (summing to 1 in the zero-sum
// games), and replaying the same replies rebuilds the same game. Seeded, so a failure reproduces.
using Socratic.Core.Environments;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Environments;

public class EnvironmentFuzzTests
{
    private static readonly string[] Junk =
    [
        "MOVE:", "move: a1.", "b2", "**", "PROPOSE: book=9", "book=", "ANSWER:", "\n", " ", ":", "=", "Once upon a time",
        "\u0000", "é", "MOVE: " + new string('x', 300),
    ];

    // Each kind's own moves (legal or not at a given point), so random play also reaches the ends of the game.
    private static readonly Dictionary<string, string[]> Moves = new()
    {
        ["tictactoe"] = [.. Enumerable.Range(0, 9).Select(i => $"MOVE: {TicTacToe.CellName(i)}")],
        ["kuhn_poker"] = ["MOVE: check", "MOVE: bet", "MOVE: call", "MOVE: fold"],
        ["negotiation"] = ["PROPOSE: book=1 hat=1 ball=0", "PROPOSE: book=3 hat=2 ball=1", "PROPOSE: hat=2 ball=1 book=0", "ACCEPT", "REJECT"],
        ["twenty_questions"] = ["QUESTION: is it alive?", "GUESS: cat", "GUESS: dog", "ANSWER: yes", "ANSWER: no"],
    };

    public static TheoryData<string> Kinds() => ["tictactoe", "kuhn_poker", "negotiation", "twenty_questions"];

    private static EnvironmentDefinition Definition(string kind) => kind switch
    {
        "tictactoe" => new TicTacToeDefinition(),
        "kuhn_poker" => new KuhnPokerDefinition(),
        "negotiation" => new NegotiationDefinition(),
        _ => new TwentyQuestionsDefinition { MaxQuestions = 5 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_replies_never_break_the_rules_engine(string kind)
    {
        var definition = Definition(kind);
        var task = new GameTask("t", "Play.", "cat");
        var endings = new HashSet<string>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 300; seed++)
        {
            var rng = SplitMix64.ForStream(seed, 7);
            var game = definition.Create(task, seed);
            var turns = new List<(string Role, string Text)>();
            while (game.ToMove is { } role)
            {
                Assert.True(turns.Count < game.TurnLimit, $"seed {seed}: no end after {turns.Count} turns");
                var moves = Moves[kind];
                var text = rng.NextBelow(2) == 0
                    ? moves[rng.NextBelow((ulong)moves.Length)]
                    : string.Concat(Enumerable.Range(0, (int)rng.NextInRange(1, 3)).Select(_ =>
                        (rng.NextBelow(2) == 0 ? Junk[rng.NextBelow((ulong)Junk.Length)] : moves[rng.NextBelow((ulong)moves.Length)]) + (rng.NextBelow(2) == 0 ? "\n" : " ")));
                game.Submit(turns.Count, role, text);
                turns.Add((role, text));
            }

            var outcome = game.Outcome();
            endings.Add(outcome.EndReason);
            Assert.All(outcome.Scores.Values, v => Assert.InRange(v, 0.0, 1.0));
            if (kind != "twenty_questions")
            {
                Assert.Equal(1.0, outcome.Scores.Values.Sum(), 12);
            }

            var replayed = definition.Replay(task, seed, EnvironmentKit.Turns([.. turns])).Outcome();
            Assert.Equal(outcome.EndReason, replayed.EndReason);
            Assert.Equal(outcome.Details.ToJsonString(), replayed.Details.ToJsonString());
        }

        // The fragments reach the ends of the game, not only forfeits.
        Assert.Contains(endings, e => e.StartsWith("game_over:", StringComparison.Ordinal));
        Assert.Contains(endings, e => e.StartsWith("forfeit:", StringComparison.Ordinal));
    }
}
