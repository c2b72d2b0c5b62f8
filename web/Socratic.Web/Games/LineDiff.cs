// Line diff of two game versions' JSON for the designer's "compare versions": common prefix and suffix are
// matched directly and the middle by longest common subsequence. Game files are indented one value a line, so a
// line diff reads as a field diff. A middle too large for the quadratic table (huge uploaded task lists) is shown
// as removed-then-added rather than stalling the circuit.
namespace Socratic.Web.Games;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

public sealed record DiffLine(DiffKind Kind, string Text);

public static class LineDiff
{
    public const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compute(string left, string right)
    {
        var a = left.ReplaceLineEndings("\n").Split('\n');
        var b = right.ReplaceLineEndings("\n").Split('\n');
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        var result = new List<DiffLine>(a.Length + b.Length);
        result.AddRange(a[..start].Select(l => new DiffLine(DiffKind.Same, l)));
        Middle(a[start..endA], b[start..endB], result);
        result.AddRange(a[endA..].Select(l => new DiffLine(DiffKind.Same, l)));
        return result;
    }

    private static void Middle(string[] a, string[] b, List<DiffLine> result)
    {
        if ((long)a.Length * b.Length > MaxCells)
        {
            result.AddRange(a.Select(l => new DiffLine(DiffKind.Removed, l)));
            result.AddRange(b.Select(l => new DiffLine(DiffKind.Added, l)));
            return;
        }

        // lcs[i, j] = length of the LCS of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                result.Add(new DiffLine(DiffKind.Same, a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                result.Add(new DiffLine(DiffKind.Removed, a[x++])); // removals first: reads as "was … now …"
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, b[y++]));
            }
        }
    }
}
