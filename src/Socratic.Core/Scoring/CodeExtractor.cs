// Finds the code in a model's turn: the last ```python (or ```py, or bare ```) block that defines the entry
// point, else the last such block, else the whole text. A block cut off by the token limit runs to the end.
using System.Text.RegularExpressions;

namespace Socratic.Core.Scoring;

public static class CodeExtractor
{
    private static readonly Regex Fence = new(
        @"```[ \t]*(?:python3?|py)?[ \t]*\r?\n(.*?)(?:```|\z)",
        RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        SafeRegex.DefaultTimeout);

    public static string Extract(string text, string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string> blocks;
        try
        {
            blocks = [.. Fence.Matches(text).Select(m => m.Groups[1].Value)];
        }
        catch (RegexMatchTimeoutException)
        {
            return text; // untrusted text that defeats the pattern is run as it is; the tests decide
        }

        if (blocks.Count == 0)
        {
            return text;
        }

        var defines = new Regex($@"^\s*def\s+{Regex.Escape(entryPoint)}\s*\(", RegexOptions.Multiline | RegexOptions.CultureInvariant, SafeRegex.DefaultTimeout);
        return blocks.LastOrDefault(b => SafeMatch(defines, b)) ?? blocks[^1];
    }

    private static bool SafeMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
