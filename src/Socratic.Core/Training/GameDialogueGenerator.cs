// Writes chat-formatted arithmetic game dialogues with correct answers: the text the product's own small model
// is pre-trained on (`socratic model pretrain`). Every example is one role's view built by ConversationView, the
// engine's own code, followed by that role's scripted turn, so the model learns exactly the prompts it will be
// played with, and the end-of-turn marker after each answer (it learns to stop).
// Two scripts: a one-role game (the role works the problem out and ends with "Answer: N") and a
// propose/check/revise game with turn order A, B, A (A proposes, sometimes with a deliberate slip; B recomputes
// and ends with "VERDICT: CORRECT" or "VERDICT: WRONG"; A revises after WRONG). Tasks come from each game's own
// arithmetic source, half of them from an easier variant (two operands, 0–10) so "What is 3 + 4?" is learned
// first. Deterministic in the seed.
using System.Globalization;
using System.Numerics;
using System.Text;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;
using TrainingChat = Socratic.Training.Datasets.ChatMessage;
using TrainingRecord = Socratic.Training.Datasets.ChatRecord;

namespace Socratic.Core.Training;

public sealed class GameDialogueGenerator
{
    /// <summary>Share of proposals in propose/check/revise games that contain a deliberate slip, so the checker
    /// sees both verdicts. Kept low because the proposer's turns are trained on too.</summary>
    public const double SlipRate = 0.25;

    private readonly IReadOnlyList<ScriptedGame> _games;

    public GameDialogueGenerator(IReadOnlyList<GameDefinition> games)
    {
        ArgumentNullException.ThrowIfNull(games);
        if (games.Count == 0)
        {
            throw new ArgumentException("at least one game is needed.", nameof(games));
        }

        _games = [.. games.Select(ScriptedGame.Create)];
    }

    /// <summary>Dialogues of every game in turn (game i gets dialogues i, i + n, …); each dialogue gives one example
    /// per role. <paramref name="dialogues"/> counts dialogues, not examples.</summary>
    public IEnumerable<TrainingRecord> Generate(int dialogues, ulong seed)
    {
        var line = 0;
        for (var i = 0; i < dialogues; i++)
        {
            var game = _games[i % _games.Count];
            var rng = SplitMix64.ForStream(seed, (ulong)i);
            foreach (var messages in game.Dialogue((long)i, seed, ref rng))
            {
                yield return new TrainingRecord(++line, messages);
            }
        }
    }

    /// <summary>Worked steps of an expression, multiplications first, then left to right; a slip adds
    /// <paramref name="slipBy"/> to the result of step <paramref name="slipStep"/> and carries it on.</summary>
    public static IReadOnlyList<Step> Solve(IReadOnlyList<long> operands, IReadOnlyList<string> operators, int slipStep = -1, long slipBy = 0)
    {
        var steps = new List<Step>();
        BigInteger Apply(BigInteger a, string op, BigInteger b)
        {
            var exact = op switch { "*" => a * b, "+" => a + b, _ => a - b };
            var shown = steps.Count == slipStep ? exact + slipBy : exact;
            steps.Add(new Step(a, op, b, shown, exact));
            return shown;
        }

        // Products first: each maximal run of "*" collapses to one term.
        var terms = new List<BigInteger> { operands[0] };
        var signs = new List<string>();
        for (var i = 1; i < operands.Count; i++)
        {
            if (operators[i - 1] == "*")
            {
                terms[^1] = Apply(terms[^1], "*", operands[i]);
            }
            else
            {
                signs.Add(operators[i - 1]);
                terms.Add(operands[i]);
            }
        }

        var value = terms[0];
        for (var i = 1; i < terms.Count; i++)
        {
            value = Apply(value, signs[i - 1], terms[i]);
        }

        return steps; // never empty: arithmetic tasks have at least two operands
    }

    /// <summary>One line of working: <c>A op B = Shown</c>; <see cref="Exact"/> differs from Shown after a slip.</summary>
    public sealed record Step(BigInteger A, string Op, BigInteger B, BigInteger Shown, BigInteger Exact)
    {
        public bool IsSlip => Shown != Exact;

        public override string ToString() => $"{Number(A)} {Op} {Number(B)} = {Number(Shown)}";

        public string Corrected => $"{Number(A)} {Op} {Number(B)} = {Number(Exact)}";

        private static string Number(BigInteger n) => n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>"Answer: N" after the steps, the final line every arithmetic game's numeric scorer reads.</summary>
    public static string Working(IReadOnlyList<Step> steps) =>
        string.Join('\n', steps.Select(s => s.ToString())) + "\nAnswer: " + steps[^1].Shown.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses the expression field an arithmetic task carries ("7 + 3 * 4", negatives as "(-3)").</summary>
    public static (long[] Operands, string[] Operators) ParseExpression(string expression)
    {
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length % 2 == 0)
        {
            throw new FormatException($"'{expression}' is not 'number op number …'.");
        }

        var operands = new long[(parts.Length + 1) / 2];
        var operators = new string[operands.Length - 1];
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0)
            {
                operands[i / 2] = long.Parse(parts[i].Trim('(', ')'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            else
            {
                operators[i / 2] = parts[i];
            }
        }

        return (operands, operators);
    }

    private sealed record ScriptedGame(GameDefinition Game, ArithmeticTaskGenerator Tasks, ArithmeticTaskGenerator EasyTasks, bool Critique)
    {
        public static ScriptedGame Create(GameDefinition game)
        {
            if (game.Tasks is not ArithmeticTaskSource source)
            {
                throw new ArgumentException($"game '{game.Name}': the dialogue generator needs arithmetic tasks.");
            }

            var order = game.EffectiveTurnOrder;
            var critique = order.Count == 3 && order[0] == order[2] && order[0] != order[1];
            if (!critique && game.Roles.Count != 1)
            {
                throw new ArgumentException(
                    $"game '{game.Name}': the dialogue generator scripts one-role games and propose/check/revise games (turn order A, B, A), " +
                    $"not turn order [{string.Join(", ", order)}].");
            }

            var easy = source with { Terms = 2, Min = 0, Max = 10 };
            return new ScriptedGame(game, new ArithmeticTaskGenerator(source), new ArithmeticTaskGenerator(easy), critique);
        }

        public IEnumerable<IReadOnlyList<TrainingChat>> Dialogue(long index, ulong seed, ref SplitMix64 rng)
        {
            var task = (rng.NextBelow(2) == 0 ? EasyTasks : Tasks).Draw(index, seed);
            var (operands, operators) = ParseExpression(task.Fields["expression"]);
            var correct = Solve(operands, operators);
            if (!Critique)
            {
                return [View(task, Game.EffectiveTurnOrder[0], [Working(correct)])];
            }

            string proposer = Game.EffectiveTurnOrder[0], checker = Game.EffectiveTurnOrder[1];
            var proposal = correct;
            if (rng.NextBelow(1000) < SlipRate * 1000)
            {
                var slipStep = (int)rng.NextBelow((ulong)correct.Count);
                var slipBy = rng.NextInRange(1, 3) * (rng.NextBelow(2) == 0 ? 1 : -1);
                proposal = Solve(operands, operators, slipStep, slipBy);
            }

            var first = Working(proposal);
            var wrong = proposal.FirstOrDefault(s => s.IsSlip);
            var check = string.Join('\n', correct.Select(s => s.ToString())) + "\n" + (wrong is null
                ? "VERDICT: CORRECT"
                : $"The step {wrong} is wrong: {wrong.Corrected}.\nVERDICT: WRONG");
            string[] turns = wrong is null ? [first, check] : [first, check, Working(correct)];
            return [View(task, proposer, turns), View(task, checker, turns)];
        }

        /// <summary><paramref name="role"/>'s view of the dialogue up to and including its last turn.</summary>
        private IReadOnlyList<TrainingChat> View(GameTask task, string role, string[] turnTexts)
        {
            var order = Game.EffectiveTurnOrder;
            var last = Enumerable.Range(0, turnTexts.Length).Last(i => order[i % order.Count] == role);
            var turns = Enumerable.Range(0, last + 1)
                .Select(i => new TurnRecord(i, order[i % order.Count], turnTexts[i], 0, 0, default, default, default, FinishReason.Stop))
                .ToList();
            return [.. ConversationView.Build(Game, task, role, turns).Select(m => new TrainingChat(RoleName(m.Role), m.Content))];
        }

        private static string RoleName(ChatRole role) => role switch
        {
            ChatRole.System => "system",
            ChatRole.User => "user",
            _ => "assistant",
        };
    }
}
