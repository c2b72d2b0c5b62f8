// Finds the first number in free text the way a reader would: "-12", "−12" (Unicode minus), "+3", "3.75",
// and thousands separators "1,234,567" (a comma counts only before exactly three digits, so "1,2" is 1).
// A minus glued to a word ("COVID-19") is a hyphen, not a sign. No exponents, fractions or percentages.
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Socratic.Core.Scoring;

/// <param name="Text">The number as it appeared.</param>
/// <param name="Value">Its value as a double (may round for very large numbers).</param>
/// <param name="Integer">The exact value when the number has no fractional part.</param>
public sealed partial record AnswerNumber(string Text, double Value, BigInteger? Integer)
{
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}_.,])(?<sign>[-−+])?(?<int>\d{1,3}(?:,\d{3}(?!\d))+|\d+)(?:\.(?<frac>\d+))?",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 250)]
    private static partial Regex First();

    /// <summary>The first number in <paramref name="text"/>, or null. Throws RegexMatchTimeoutException only on
    /// absurdly long input.</summary>
    public static AnswerNumber? FindFirst(string text)
    {
        var m = First().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var negative = m.Groups["sign"].Value is "-" or "−";
        var digits = m.Groups["int"].Value.Replace(",", "", StringComparison.Ordinal);
        var frac = m.Groups["frac"].Value;
        var canonical = (negative ? "-" : "") + digits + (frac.Length > 0 ? "." + frac : "");
        var value = double.Parse(canonical, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

        // "7.0" is still the integer 7: trailing zeros after the point do not make it fractional.
        BigInteger? integer = frac.TrimEnd('0').Length == 0
            ? BigInteger.Parse((negative ? "-" : "") + digits, CultureInfo.InvariantCulture)
            : null;
        return new AnswerNumber(m.Value, value, integer);
    }
}
