// Procedural arithmetic tasks: "3 + 4 * 2" with standard precedence (* before + and -) and the exact integer
// answer (BigInteger, so no overflow whatever the operands). Negative operands are parenthesised: "5 - (-3)".
// Deterministic in (index, seed) through SplitMix64. With ExcludeHeldOut (or when built for an evaluation
// suite) the draw goes through HeldOutPartition; without it the stream is the original one, which stored runs rely on.
using System.Globalization;
using System.Numerics;
using System.Text;
using Socratic.Core.Games;

namespace Socratic.Core.Tasks;

public sealed class ArithmeticTaskGenerator : ITaskSource
{
    private readonly ArithmeticTaskSource _definition;
    private readonly TaskPartition _partition;

    public ArithmeticTaskGenerator(ArithmeticTaskSource definition, TaskPartition partition = TaskPartition.Training)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Min > definition.Max)
        {
            throw new ArgumentException($"min ({definition.Min}) exceeds max ({definition.Max}).", nameof(definition));
        }

        if (definition.Terms is < 2 or > 8)
        {
            throw new ArgumentException($"terms must be between 2 and 8, not {definition.Terms}.", nameof(definition));
        }

        if (definition.Operators.Count == 0 || definition.Operators.Any(o => !GameValidator.ArithmeticOperators.Contains(o)))
        {
            throw new ArgumentException("operators must be a non-empty subset of + - *.", nameof(definition));
        }

        _definition = definition;
        _partition = partition;
    }

    public GameTask Draw(long index, ulong seed)
    {
        if (_partition == TaskPartition.Training && !_definition.ExcludeHeldOut)
        {
            var rng = SplitMix64.ForStream(seed, (ulong)index);
            return Generate(ref rng, index, seed);
        }

        return HeldOutPartition.Draw(seed, index, _partition, "arithmetic", t => t.Fields["expression"],
            (ref SplitMix64 rng) => Generate(ref rng, index, seed));
    }

    private GameTask Generate(ref SplitMix64 rng, long index, ulong seed)
    {
        var d = _definition;
        var operands = new long[d.Terms];
        var operators = new string[d.Terms - 1];
        for (var i = 0; i < d.Terms; i++)
        {
            operands[i] = rng.NextInRange(d.Min, d.Max);
            if (i > 0)
            {
                operators[i - 1] = d.Operators[(int)rng.NextBelow((ulong)d.Operators.Count)];
            }
        }

        var expression = Format(operands, operators);
        var answer = Evaluate(operands, operators).ToString(CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["expression"] = expression };
        var id = string.Create(CultureInfo.InvariantCulture, $"arithmetic-{seed:x16}-{index}");
        var prompt = PromptTemplate.Render(d.Prompt, new GameTask(id, "", answer) { Fields = fields },
            new Dictionary<string, string>(StringComparer.Ordinal) { ["expression"] = expression });
        return new GameTask(id, prompt, answer) { Fields = fields };
    }

    public static string Format(IReadOnlyList<long> operands, IReadOnlyList<string> operators)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ').Append(operators[i - 1]).Append(' ');
            }

            var n = operands[i].ToString(CultureInfo.InvariantCulture);
            sb.Append(operands[i] < 0 ? $"({n})" : n);
        }

        return sb.ToString();
    }

    /// <summary>Left to right with * binding tighter than + and -.</summary>
    public static BigInteger Evaluate(IReadOnlyList<long> operands, IReadOnlyList<string> operators)
    {
        BigInteger sum = 0;
        BigInteger term = operands[0];
        for (var i = 1; i < operands.Count; i++)
        {
            switch (operators[i - 1])
            {
                case "*":
                    term *= operands[i];
                    break;
                case "+":
                    sum += term;
                    term = operands[i];
                    break;
                case "-":
                    sum += term;
                    term = -(BigInteger)operands[i];
                    break;
                default:
                    throw new ArgumentException($"Unknown operator '{operators[i - 1]}'.", nameof(operators));
            }
        }

        return sum + term;
    }
}
