// Parses a judge's output. Strict on purpose: the output is untrusted model text, so exactly one verdict line
// in the expected form counts, and anything else — no verdict, two verdicts, "VERDICT: A or B", a score out of
// range — is "no verdict" with a reason, never a guess.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Socratic.Core.Scoring;

public sealed partial record JudgeVerdict(string? Choice, int? Grade, string? Error)
{
    public bool Parsed => Error is null;

    public static JudgeVerdict ParseChoice(string output) => Parse(output, ChoiceLine(), "VERDICT: A or VERDICT: B", v => new JudgeVerdict(v.ToUpperInvariant(), null, null));

    public static JudgeVerdict ParseGrade(string output) => Parse(output, GradeLine(), "SCORE: 0 to 10", v =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 10
            ? new JudgeVerdict(null, n, null)
            : new JudgeVerdict(null, null, $"score {v} is outside 0 to 10"));

    private static JudgeVerdict Parse(string output, Regex line, string expected, Func<string, JudgeVerdict> make)
    {
        ArgumentNullException.ThrowIfNull(output);
        MatchCollection matches;
        try
        {
            matches = line.Matches(output);
            _ = matches.Count; // forces the scan inside the try, where a timeout is caught
        }
        catch (RegexMatchTimeoutException)
        {
            return new JudgeVerdict(null, null, "verdict search timed out");
        }

        return matches.Count switch
        {
            0 => new JudgeVerdict(null, null, $"no line of the form {expected}"),
            1 => make(matches[0].Groups[1].Value),
            _ => new JudgeVerdict(null, null, $"{matches.Count} verdict lines; exactly one is required"),
        };
    }

    // A whole line: optional spaces, the keyword in capitals, one choice, optional full stop. Nothing else.
    [GeneratedRegex(@"^[ \t]*VERDICT:[ \t]*([AB])[ \t]*\.?[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 200)]
    private static partial Regex ChoiceLine();

    [GeneratedRegex(@"^[ \t]*SCORE:[ \t]*(\d{1,3})[ \t]*(?:/[ \t]*10)?[ \t]*\.?[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 200)]
    private static partial Regex GradeLine();
}
