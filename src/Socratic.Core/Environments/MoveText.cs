// Reads a move out of a model's reply, leniently but exactly. Lenient: the move may sit anywhere in the text,
// on its own line, after reasoning, in any letter case, with markdown decoration ("**MOVE:** b2"). Exact: it
// must be written as "LABEL: value"; a reply naming two different moves is ambiguous and rejected rather than
// guessed at. Model output is untrusted, so the regex runs with a timeout and long replies are not a problem.
using System.Text.RegularExpressions;

namespace Socratic.Core.Environments;

public static class MoveText
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    private const string Decoration = @"[ \t>*_#`-]*";

    /// <summary>The single (label, value) the reply names, or an error saying why there is none.</summary>
    /// <param name="labels">Accepted labels, e.g. "MOVE", or "QUESTION" and "GUESS".</param>
    public static (string? Label, string Value, string? Error) Find(string text, params string[] labels) => Find(text, labels, []);

    /// <param name="text">The reply.</param>
    /// <param name="labels">Labels followed by a value: "PROPOSE: book=1 hat=0".</param>
    /// <param name="bareLabels">Labels that take no value and stand alone on their line: "ACCEPT" (the value is "").</param>
    public static (string? Label, string Value, string? Error) Find(string text, IReadOnlyList<string> labels, IReadOnlyList<string> bareLabels)
    {
        const RegexOptions options = RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        var found = new List<(string Label, string Value)>();
        try
        {
            if (labels.Count > 0)
            {
                var pattern = $@"^{Decoration}({Alternatives(labels)})[*_`]*[ \t]*:[*_`]*[ \t]*(?<value>[^\r\n]*)$";
                foreach (Match m in Regex.Matches(text, pattern, options, Timeout))
                {
                    found.Add((m.Groups[1].Value.ToUpperInvariant(), m.Groups["value"].Value.Trim().Trim('*', '_', '`').Trim()));
                }
            }

            if (bareLabels.Count > 0)
            {
                var pattern = $@"^{Decoration}({Alternatives(bareLabels)})[*_`.!:]*[ \t]*$";
                foreach (Match m in Regex.Matches(text, pattern, options, Timeout))
                {
                    found.Add((m.Groups[1].Value.ToUpperInvariant(), ""));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, "", "the reply could not be read in time");
        }

        var expected = string.Join(" or ", labels.Select(l => $"'{l}: …'").Concat(bareLabels.Select(l => $"'{l}'")));
        // The same move written twice ("MOVE: b2" … "MOVE: B2.") is not ambiguous.
        var distinct = found.DistinctBy(f => (f.Label, Token(f.Value))).ToList();
        return distinct.Count switch
        {
            0 => (null, "", $"no line {expected} found"),
            1 when distinct[0].Value.Length == 0 && !bareLabels.Contains(distinct[0].Label, StringComparer.OrdinalIgnoreCase) =>
                (null, "", $"'{distinct[0].Label}:' is empty"),
            1 => (distinct[0].Label, distinct[0].Value, null),
            _ => (null, "", $"ambiguous: the reply names {distinct.Count} different moves ({string.Join("; ", distinct.Take(3).Select(d => $"{d.Label}: {Short(d.Value)}"))})"),
        };
    }

    private static string Alternatives(IEnumerable<string> labels) => string.Join('|', labels.Select(Regex.Escape));

    /// <summary>A value cut short for an error message.</summary>
    public static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>A one-word move: lower case, trailing punctuation dropped ("B2." → "b2").</summary>
    public static string Token(string value) => value.Trim().TrimEnd('.', '!', ',', ';').Trim().ToLowerInvariant();
}
