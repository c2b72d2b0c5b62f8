// The families of Python function synthesis tasks. Each draws its parameters and test inputs from the seeded
// generator and computes the expected outputs here in C#, so tasks are checkable without running anything;
// the reference solution (in Python) lets a test prove both sides agree. Arguments and results are plain
// JSON (ints, strings, lists), which is also valid Python source for the prompt's example.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Socratic.Core.Tasks;

/// <param name="Description">What the function must do, with its signature.</param>
/// <param name="Reference">A correct Python solution.</param>
/// <param name="Cases">Arguments → expected value; the first is shown as the example, the rest are hidden.</param>
public sealed record FunctionTask(string EntryPoint, string Description, string Reference, IReadOnlyList<(JsonArray Args, JsonNode Expected)> Cases);

public static class PythonFunctionFamilies
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Words = ["Fizz", "Buzz", "Ping", "Pong", "Zap", "Bop", "Tick", "Tock"];

    private delegate FunctionTask Family(ref SplitMix64 rng, int cases);

    private static readonly IReadOnlyDictionary<string, Family> All = new Dictionary<string, Family>(StringComparer.Ordinal)
    {
        ["sum_multiples"] = SumMultiples,
        ["fizz_word"] = FizzWord,
        ["count_char"] = CountChar,
        ["reverse_chunks"] = ReverseChunks,
        ["shift_letters"] = ShiftLetters,
        ["clip"] = Clip,
        ["digit_power_sum"] = DigitPowerSum,
    };

    public static IReadOnlyList<string> Names { get; } = [.. All.Keys];

    /// <summary><paramref name="cases"/> test cases plus one example (the first).</summary>
    public static FunctionTask Make(string family, ref SplitMix64 rng, int cases) => All[family](ref rng, cases + 1);

    private static FunctionTask SumMultiples(ref SplitMix64 rng, int cases)
    {
        var a = (int)rng.NextInRange(2, 7);
        var b = (int)rng.NextInRange(a + 1, 13);
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var n = r.NextInRange(0, 300);
            long sum = 0;
            for (var i = 1; i <= n; i++)
            {
                sum += i % a == 0 || i % b == 0 ? i : 0;
            }

            return ([n], sum);
        });
        return new FunctionTask("sum_multiples",
            $"def sum_multiples(n): return the sum of the integers from 1 to n (inclusive) that are divisible by {a} or by {b}; 0 when n < 1.",
            $"def sum_multiples(n):\n    return sum(i for i in range(1, n + 1) if i % {a} == 0 or i % {b} == 0)\n",
            list);
    }

    private static FunctionTask FizzWord(ref SplitMix64 rng, int cases)
    {
        var a = (int)rng.NextInRange(2, 5);
        var b = (int)rng.NextInRange(a + 1, 9);
        var w1 = Words[rng.NextBelow((ulong)Words.Length)];
        var w2 = Words.Where(w => w != w1).ElementAt((int)rng.NextBelow((ulong)Words.Length - 1));
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var n = r.NextInRange(1, 100);
            var word = (n % a == 0 ? w1 : "") + (n % b == 0 ? w2 : "");
            return ([n], word.Length > 0 ? word : n.ToString(CultureInfo.InvariantCulture));
        });
        return new FunctionTask("fizz_word",
            $"def fizz_word(n): return \"{w1}\" if n is divisible by {a}, \"{w2}\" if by {b}, \"{w1}{w2}\" if by both, else str(n).",
            $"def fizz_word(n):\n    s = (\"{w1}\" if n % {a} == 0 else \"\") + (\"{w2}\" if n % {b} == 0 else \"\")\n    return s or str(n)\n",
            list);
    }

    private static FunctionTask CountChar(ref SplitMix64 rng, int cases)
    {
        var c = Letters[(int)rng.NextBelow(26)];
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var s = RandomText(ref r, 0, 24, Letters[..6] + c + char.ToUpperInvariant(c) + " ");
            return ([s], s.Count(x => char.ToLowerInvariant(x) == c));
        });
        return new FunctionTask("count_char",
            $"def count_char(s): return how many times the letter \"{c}\" occurs in the string s, upper or lower case.",
            $"def count_char(s):\n    return s.lower().count(\"{c}\")\n",
            list);
    }

    private static FunctionTask ReverseChunks(ref SplitMix64 rng, int cases)
    {
        var k = (int)rng.NextInRange(2, 4);
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var s = RandomText(ref r, 0, 14, Letters);
            var sb = new StringBuilder();
            for (var i = 0; i < s.Length; i += k)
            {
                sb.Append(s.Substring(i, Math.Min(k, s.Length - i)).Reverse().ToArray());
            }

            return ([s], sb.ToString());
        });
        return new FunctionTask("reverse_chunks",
            $"def reverse_chunks(s): cut s into consecutive chunks of {k} characters (the last may be shorter), reverse each chunk, and join them in their original order.",
            $"def reverse_chunks(s):\n    return \"\".join(s[i:i + {k}][::-1] for i in range(0, len(s), {k}))\n",
            list);
    }

    private static FunctionTask ShiftLetters(ref SplitMix64 rng, int cases)
    {
        var k = (int)rng.NextInRange(1, 25);
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var s = RandomText(ref r, 0, 16, Letters + " .!A");
            var shifted = new string([.. s.Select(ch => ch is >= 'a' and <= 'z' ? (char)('a' + ((ch - 'a' + k) % 26)) : ch)]);
            return ([s], shifted);
        });
        return new FunctionTask("shift_letters",
            $"def shift_letters(s): move every lowercase letter a-z {k} places forward in the alphabet, wrapping past z back to a; leave every other character as it is.",
            $"def shift_letters(s):\n    return \"\".join(chr((ord(c) - 97 + {k}) % 26 + 97) if \"a\" <= c <= \"z\" else c for c in s)\n",
            list);
    }

    private static FunctionTask Clip(ref SplitMix64 rng, int cases)
    {
        var lo = rng.NextInRange(-20, 10);
        var hi = rng.NextInRange(lo, lo + 30);
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var n = (int)r.NextInRange(0, 8);
            var xs = new long[n];
            for (var i = 0; i < n; i++)
            {
                xs[i] = r.NextInRange(-50, 50);
            }

            return ([new JsonArray([.. xs.Select(x => (JsonNode)x)])], new JsonArray([.. xs.Select(x => (JsonNode)Math.Clamp(x, lo, hi))]));
        });
        return new FunctionTask("clip",
            $"def clip(xs): return a new list of the integers in xs where each value below {lo} becomes {lo} and each value above {hi} becomes {hi}.",
            $"def clip(xs):\n    return [min(max(x, {lo}), {hi}) for x in xs]\n",
            list);
    }

    private static FunctionTask DigitPowerSum(ref SplitMix64 rng, int cases)
    {
        var p = (int)rng.NextInRange(1, 4);
        var list = Cases(ref rng, cases, (ref SplitMix64 r) =>
        {
            var n = r.NextInRange(0, 99_999);
            var sum = n.ToString(CultureInfo.InvariantCulture).Sum(d => (long)Math.Pow(d - '0', p));
            return ([n], sum);
        });
        return new FunctionTask("digit_power_sum",
            $"def digit_power_sum(n): for an integer n >= 0, return the sum of each decimal digit of n raised to the power {p}.",
            $"def digit_power_sum(n):\n    return sum(int(d) ** {p} for d in str(n))\n",
            list);
    }

    private delegate (JsonArray Args, JsonNode Expected) CaseMaker(ref SplitMix64 rng);

    private static List<(JsonArray, JsonNode)> Cases(ref SplitMix64 rng, int count, CaseMaker make)
    {
        var list = new List<(JsonArray, JsonNode)>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(make(ref rng));
        }

        return list;
    }

    private static string RandomText(ref SplitMix64 rng, int minLength, int maxLength, string alphabet)
    {
        var length = (int)rng.NextInRange(minLength, maxLength);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[(int)rng.NextBelow((ulong)alphabet.Length)];
        }

        return new string(chars);
    }
}
