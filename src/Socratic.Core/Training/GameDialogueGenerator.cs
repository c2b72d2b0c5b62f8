// Writes chat-formatted arithmetic game dialogues with correct answers: the text the product's own small model
// is pre-trained on (`socratic model pretrain`). Every example is one role's view built by ConversationView, the
// engine's own code, followed by that role's scripted turn, so the model learns exactly the prompts it will be
// played with, and the end-of-turn marker after each answer (it learns to stop).
// Two scripts: a one-role game (the role works the problem out and ends with "Answer: N") and a
// propose/check/revise game with turn order A, B, A (A proposes, sometimes with a deliberate slip; B recomputes
// and ends with "VERDICT: CORRECT" or "VERDICT: WRONG"; A revises after WRONG). Tasks come from each game's own
// arithmetic source, half of them from an easier variant (two operands, 0–10) so "What is 3 + 4?" is learned
// first (WorkingOptions.EasyShare). Deterministic in the seed.
// Two ways to write the working (WorkingStyle): one "a + b = c" line per step, or the same lines each followed by
// what is left of the expression ("3 + 5 = 8, then 8 + 2 + 7"), so every step reads only the line above it — a form
// a 2-layer model learns exactly in minutes (docs/experiments; it does not, by itself, extend to longer expressions).
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

/// <summary>How worked steps are written.</summary>
public enum WorkingStyle
{
    /// <summary>One "a op b = c" line per step, then "Answer: N".</summary>
    Steps,

    /// <summary>Each step line but the last also carries the rest of the expression: "3 + 5 = 8, then 8 + 2 + 7".
    /// Only for sums and differences (products are collapsed first, so the rest would not read left to right).
    /// Numbers are written as task expressions write them (negatives in parentheses).</summary>
    CarryRest,
}

/// <param name="Style">How the working is written.</param>
/// <param name="EasyShare">Share of tasks drawn from the easy two-operand 0–10 variant instead of the game's source.</param>
public sealed record WorkingOptions(WorkingStyle Style = WorkingStyle.Steps, double EasyShare = 0.5)
{
    public static WorkingOptions Default { get; } = new();
}

public sealed class GameDialogueGenerator
{
    /// <summary>Share of proposals in propose/check/revise games that contain a deliberate slip, so the checker
    /// sees both verdicts. Kept low because the proposer's turns are trained on too.</summary>
    public const double SlipRate = 0.25;

    private readonly IReadOnlyList<ScriptedGame> _games;

    public GameDialogueGenerator(IReadOnlyList<GameDefinition> games, WorkingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(games);
        if (games.Count == 0)
        {
            throw new ArgumentException("at least one game is needed.", nameof(games));
        }

        options ??= WorkingOptions.Default;
        if (options.EasyShare is < 0 or > 1)
        {
            throw new ArgumentException($"the easy share must be in [0, 1], not {options.EasyShare}.", nameof(options));
        }

        _games = [.. games.Select(g => ScriptedGame.Create(g, options))];
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

    /// <summary>The working in <paramref name="style"/>; CarryRest needs the expression's operands and operators
    /// (sums and differences only), since step i combines the running value with operand i + 1.</summary>
    public static string Working(IReadOnlyList<Step> steps, WorkingStyle style, IReadOnlyList<long> operands, IReadOnlyList<string> operators)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentNullException.ThrowIfNull(operators);
        if (style == WorkingStyle.Steps)
        {
            return Working(steps);
        }

        if (operators.Contains("*") || steps.Count != operands.Count - 1)
        {
            throw new ArgumentException("carry-rest working is for sums and differences only.", nameof(operators));
        }

        var lines = new List<string>(steps.Count + 1);
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var line = ArithmeticTaskGenerator.Format([(long)s.A, (long)s.B], [s.Op]) + " = " + ArithmeticTaskGenerator.Format([(long)s.Shown], []);
            if (i < steps.Count - 1)
            {
                // What is left: the value so far, then operands i + 2 … with their operators.
                long[] rest = [(long)s.Shown, .. operands.Skip(i + 2)];
                line += ", then " + ArithmeticTaskGenerator.Format(rest, [.. operators.Skip(i + 1)]);
            }

            lines.Add(line);
        }

        lines.Add("Answer: " + steps[^1].Shown.ToString(CultureInfo.InvariantCulture));
        return string.Join('\n', lines);
    }

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

    private sealed record ScriptedGame(GameDefinition Game, ArithmeticTaskGenerator Tasks, ArithmeticTaskGenerator EasyTasks, bool Critique, WorkingOptions Options)
    {
        public static ScriptedGame Create(GameDefinition game, WorkingOptions options)
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

            if (options.Style == WorkingStyle.CarryRest && source.Operators.Contains("*"))
            {
                throw new ArgumentException($"game '{game.Name}': {options.Style} working is for sums and differences, not products.");
            }

            var easy = source with { Terms = 2, Min = 0, Max = 10 };
            return new ScriptedGame(game, new ArithmeticTaskGenerator(source), new ArithmeticTaskGenerator(easy), critique, options);
        }

        public IEnumerable<IReadOnlyList<TrainingChat>> Dialogue(long index, ulong seed, ref SplitMix64 rng)
        {
            // A fixed-point draw (per mille) so the default share of one half keeps the stream of earlier versions.
            var easyDraw = Options.EasyShare == 0.5 ? rng.NextBelow(2) == 0 : rng.NextBelow(1000) < Options.EasyShare * 1000;
            var task = (easyDraw ? EasyTasks : Tasks).Draw(index, seed);
            var (operands, operators) = ParseExpression(task.Fields["expression"]);
            var correct = Solve(operands, operators);
            string Working(IReadOnlyList<Step> steps) => GameDialogueGenerator.Working(steps, Options.Style, operands, operators);
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
