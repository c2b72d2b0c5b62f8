// Regexes over model output. The text is untrusted, so every regex gets a match timeout: a pathological
// pattern meeting adversarial text must cost at most the timeout, never a hung worker.
using System.Text.RegularExpressions;

namespace Socratic.Core.Scoring;

public static class SafeRegex
{
    /// <summary>Default per-match timeout; generous for real answers, short enough that a bad pattern is cheap.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(250);

    public static Regex Create(string pattern, bool ignoreCase = false, TimeSpan? timeout = null)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new Regex(pattern, options, timeout ?? DefaultTimeout);
    }

    /// <summary>Null when the pattern compiles, else the parser's reason.</summary>
    public static string? CompileError(string pattern)
    {
        try
        {
            _ = Create(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
