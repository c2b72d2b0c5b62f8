// The one tokenisation every diversity and near-duplicate measure shares: lower-cased words and single
// punctuation marks. Model-independent on purpose, so metrics compare across generations and base models.
using System.Text.RegularExpressions;

namespace Socratic.Core.Coverage;

public static partial class TextTokens
{
    [GeneratedRegex(@"\w+|[^\w\s]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    public static string[] Of(string text)
    {
        var lower = text.ToLowerInvariant();
        var tokens = new List<string>();
        foreach (var m in TokenPattern().EnumerateMatches(lower))
        {
            tokens.Add(lower.Substring(m.Index, m.Length));
        }

        return [.. tokens];
    }

    /// <summary>The n-grams of a token sequence, each joined with a separator no token contains.</summary>
    public static IEnumerable<string> NGrams(IReadOnlyList<string> tokens, int n)
    {
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            yield return string.Join('\u241F', tokens.Skip(i).Take(n));
        }
    }
}
