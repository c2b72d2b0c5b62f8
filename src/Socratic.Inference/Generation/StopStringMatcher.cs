// Accumulates generated text and decides how much of it is safe to stream. A stop string can arrive split
// over several tokens, so any tail of the text that could still grow into a stop string is held back until
// the next piece proves it is not one; on a match the text is cut just before the stop string.
using System.Text;

namespace Socratic.Inference.Generation;

internal sealed class StopStringMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] stops = stops.Where(s => !string.IsNullOrEmpty(s)).ToArray();
    private readonly StringBuilder text = new();
    private int emitted;

    /// <summary>The final text once <see cref="Append"/> reported a stop; otherwise everything appended so far.</summary>
    public string Text => text.ToString();

    public bool Stopped { get; private set; }

    /// <summary>
    /// Appends a decoded piece. Returns the newly releasable text (possibly empty) and sets <see cref="Stopped"/>
    /// when a stop string completed; the text is then truncated before it.
    /// </summary>
    public string Append(string piece)
    {
        if (Stopped || piece.Length == 0)
        {
            return string.Empty;
        }

        text.Append(piece);
        if (stops.Length == 0)
        {
            return Release(text.Length);
        }

        var current = text.ToString();
        var cut = FindEarliestStop(current);
        if (cut >= 0)
        {
            Stopped = true;
            text.Length = cut;
            return cut > emitted ? Release(cut) : string.Empty;
        }

        return Release(current.Length - LongestPartialStopSuffix(current));
    }

    /// <summary>Releases whatever was held back (the generation ended for another reason).</summary>
    public string Flush() => Stopped ? string.Empty : Release(text.Length);

    private string Release(int upTo)
    {
        if (upTo <= emitted)
        {
            return string.Empty;
        }

        var released = text.ToString(emitted, upTo - emitted);
        emitted = upTo;
        return released;
    }

    private int FindEarliestStop(string current)
    {
        // Only text not yet released can contain the start of a new match.
        var best = -1;
        foreach (var stop in stops)
        {
            // Held-back text always covers a partial match, so a stop never starts inside released text.
            var from = emitted;
            var index = current.IndexOf(stop, from, StringComparison.Ordinal);
            if (index >= 0 && (best < 0 || index < best))
            {
                best = index;
            }
        }

        return best;
    }

    private int LongestPartialStopSuffix(string current)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, current.Length); length > longest; length--)
            {
                if (current.AsSpan(current.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
