// A process check for arithmetic working: every "a + b = c" (or longer chain, "3 + 4 * 2 = 11") in a text must be a
// true equation. Final-answer scoring cannot tell a lucky number under wrong working from a derivation, and a loop
// that trains on a model's own answers amplifies whatever it keeps, so self-training curation drops attempts with a
// false step, or whose "Answer:" is not what its last equation says. A stricter check, Derivation, holds carry-rest
// working ("3 + 5 = 8, then 8 + 2") to the task: each step combines the first two numbers of what is left, every rest
// is exactly the value so far followed by the operands not yet used, and the answer is the last value.
// Grounded: integers evaluated exactly (BigInteger, * before + and -); model text is parsed, never run.
using System.Globalization;
using System.Text.RegularExpressions;
using Socratic.Core.Tasks;

namespace Socratic.Core.Curation;

public static partial class WorkingCheck
{
    // A chain of integers and operators, "=", an integer; spaces and tabs only, so an equation never spans lines.
    // Negative operands are parenthesised, as task prompts write them. 18 digits keep every operand a long.
    [GeneratedRegex(@"((?:\(-?\d{1,18}\)|-?\d{1,18})(?:[ \t]*[+\-*][ \t]*(?:\(-?\d{1,18}\)|-?\d{1,18}))+)[ \t]*=[ \t]*(-?\d{1,18})(?!\d)")]
    private static partial Regex Equation();

    [GeneratedRegex(@"(?im)^\s*answer\s*[:=]\s*(-?\d{1,18})")]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"\(-?\d+\)|\d+|[+\-*]")]
    private static partial Regex Token();

    /// <summary>The equations found in <paramref name="text"/> and how many of them are true.</summary>
    public static (int Equations, int True) Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equations = 0, right = 0;
        foreach (Match m in Equation().Matches(text))
        {
            equations++;
            if (Evaluate(m.Groups[1].Value) == long.Parse(m.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
            {
                right++;
            }
        }

        return (equations, right);
    }

    /// <summary>True when no equation in the text is false (a text without equations passes).</summary>
    public static bool NoFalseStep(string text)
    {
        var (equations, right) = Count(text);
        return right == equations;
    }

    /// <summary>No false equation, and a final "Answer: N" equal to the last equation's result when there is one.</summary>
    public static bool Consistent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NoFalseStep(text))
        {
            return false;
        }

        var last = Equation().Matches(text).LastOrDefault();
        var answer = AnswerLine().Matches(text).LastOrDefault();
        return last is null || answer is null || last.Groups[2].Value == answer.Groups[1].Value;
    }

    /// <summary>
    /// True when <paramref name="text"/> is the carry-rest derivation of <paramref name="expression"/> (sums and
    /// differences): one line per step, "a op b = c, then REST" with a and b the first two numbers of what is left
    /// and REST the value c followed by the unused operands, the last step without a rest, then "Answer: c".
    /// Blank lines and surrounding spaces are ignored; anything else fails.
    /// </summary>
    public static bool Derivation(string expression, string text)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(text);
        long[] operands;
        string[] operators;
        try
        {
            (operands, operators) = Training.GameDialogueGenerator.ParseExpression(expression);
        }
        catch (FormatException)
        {
            return false;
        }

        if (operators.Contains("*"))
        {
            return false;
        }

        // The derivation the pre-training dialogues write (GameDialogueGenerator), compared line by line.
        var expected = Training.GameDialogueGenerator.Working(
            Training.GameDialogueGenerator.Solve(operands, operators), Training.WorkingStyle.CarryRest, operands, operators);
        return Lines(text).SequenceEqual(Lines(expected), StringComparer.Ordinal);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static System.Numerics.BigInteger Evaluate(string chain)
    {
        var operands = new List<long>();
        var operators = new List<string>();
        var negate = false;
        foreach (Match t in Token().Matches(chain))
        {
            // Operands and operators alternate; a "-" where an operand is expected is that operand's sign (the
            // equation regex only lets it through directly before digits).
            if (operands.Count > operators.Count)
            {
                operators.Add(t.Value);
            }
            else if (t.Value == "-")
            {
                negate = true;
            }
            else
            {
                var value = long.Parse(t.Value.Trim('(', ')'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                operands.Add(negate ? -value : value);
                negate = false;
            }
        }

        return ArithmeticTaskGenerator.Evaluate(operands, operators);
    }
}
