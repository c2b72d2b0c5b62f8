// Diversity of a set of texts (one generation's turns, or one game's): the numbers the collapse and drift
// alarms and the meta-critic read. All are cheap, deterministic for a seed, and defined on TextTokens so
// that they compare across base models. Conventions follow the literature: distinct-n = unique n-grams /
// all n-grams; self-BLEU = mean BLEU-4 of each text against the others (high = repetitive); compression
// ratio = raw bytes / deflated bytes of the concatenation (high = repetitive); novelty = share of n-grams
// never seen in a reference set (earlier generations).
using System.IO.Compression;
using System.Text;

namespace Socratic.Core.Coverage;

public static class DiversityMetrics
{
    public static double DistinctN(IReadOnlyList<string[]> texts, int n)
    {
        var all = 0;
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tokens in texts)
        {
            foreach (var gram in TextTokens.NGrams(tokens, n))
            {
                all++;
                unique.Add(gram);
            }
        }

        return all == 0 ? 0 : (double)unique.Count / all;
    }

    /// <summary>
    /// Mean sentence BLEU-4 (uniform weights, +1 smoothing on higher orders, brevity penalty) of up to
    /// <paramref name="sample"/> texts each scored against all others as references. Quadratic, hence the sample.
    /// </summary>
    public static double SelfBleu(IReadOnlyList<string[]> texts, int sample = 200, int seed = 0)
    {
        if (texts.Count < 2)
        {
            return 0;
        }

        var chosen = texts.Count <= sample ? texts : [.. texts.Select((t, i) => (t, key: new Random(seed + i).Next())).OrderBy(x => x.key).Take(sample).Select(x => x.t)];
        var total = 0.0;
        for (var i = 0; i < chosen.Count; i++)
        {
            total += Bleu(chosen[i], [.. chosen.Where((_, j) => j != i)]);
        }

        return total / chosen.Count;
    }

    public static double Bleu(string[] hypothesis, IReadOnlyList<string[]> references, int maxN = 4)
    {
        if (hypothesis.Length == 0 || references.Count == 0)
        {
            return 0;
        }

        var logSum = 0.0;
        for (var n = 1; n <= maxN; n++)
        {
            var counts = Count(TextTokens.NGrams(hypothesis, n));
            var maxRef = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reference in references)
            {
                foreach (var (gram, c) in Count(TextTokens.NGrams(reference, n)))
                {
                    maxRef[gram] = Math.Max(maxRef.GetValueOrDefault(gram), c);
                }
            }

            var clipped = counts.Sum(kv => Math.Min(kv.Value, maxRef.GetValueOrDefault(kv.Key)));
            var possible = counts.Values.Sum();
            // Smoothing (Lin & Och's +1 on n > 1) keeps short texts from scoring exactly zero.
            var precision = n == 1 ? (possible == 0 ? 0 : (double)clipped / possible) : (clipped + 1.0) / (possible + 1.0);
            if (precision <= 0)
            {
                return 0;
            }

            logSum += Math.Log(precision) / maxN;
        }

        var closest = references.Select(r => r.Length).OrderBy(len => Math.Abs(len - hypothesis.Length)).ThenBy(len => len).First();
        var brevity = hypothesis.Length >= closest ? 1.0 : Math.Exp(1 - (double)closest / hypothesis.Length);
        return brevity * Math.Exp(logSum);
    }

    public static double CompressionRatio(IEnumerable<string> texts)
    {
        var raw = Encoding.UTF8.GetBytes(string.Join('\n', texts));
        if (raw.Length == 0)
        {
            return 0;
        }

        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(raw);
        }

        return (double)raw.Length / buffer.Length;
    }

    /// <summary>Share of the texts' n-grams that never occur in <paramref name="reference"/>; 1 when there is no reference.</summary>
    public static double Novelty(IReadOnlyList<string[]> texts, IReadOnlyList<string[]> reference, int n = 3)
    {
        var seen = reference.SelectMany(t => TextTokens.NGrams(t, n)).ToHashSet(StringComparer.Ordinal);
        var grams = texts.SelectMany(t => TextTokens.NGrams(t, n)).ToList();
        if (grams.Count == 0)
        {
            return 0;
        }

        return seen.Count == 0 ? 1 : (double)grams.Count(g => !seen.Contains(g)) / grams.Count;
    }

    /// <summary>Mean cosine distance of each embedding to the centroid: 0 when every text embeds the same.</summary>
    public static double EmbeddingDispersion(IReadOnlyList<float[]> embeddings)
    {
        if (embeddings.Count < 2)
        {
            return 0;
        }

        var dim = embeddings[0].Length;
        var centroid = new double[dim];
        foreach (var e in embeddings)
        {
            var norm = Norm(e);
            for (var i = 0; i < dim; i++)
            {
                centroid[i] += norm == 0 ? 0 : e[i] / norm;
            }
        }

        var centroidNorm = Math.Sqrt(centroid.Sum(x => x * x));
        if (centroidNorm == 0)
        {
            return 1;
        }

        var total = 0.0;
        foreach (var e in embeddings)
        {
            var norm = Norm(e);
            var dot = 0.0;
            for (var i = 0; i < dim; i++)
            {
                dot += e[i] * centroid[i];
            }

            total += norm == 0 ? 1 : 1 - (dot / (norm * centroidNorm));
        }

        return total / embeddings.Count;
    }

    public static LengthStats Lengths(IReadOnlyList<string[]> texts)
    {
        if (texts.Count == 0)
        {
            return new LengthStats(0, 0, 0, 0);
        }

        var lengths = texts.Select(t => (double)t.Length).Order().ToArray();
        var mean = lengths.Average();
        var sd = Math.Sqrt(lengths.Sum(l => (l - mean) * (l - mean)) / lengths.Length);
        return new LengthStats(mean, sd, Quantile(lengths, 0.5), Quantile(lengths, 0.9));
    }

    private static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = (int)Math.Ceiling(pos);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static Dictionary<string, int> Count(IEnumerable<string> grams)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in grams)
        {
            counts[g] = counts.GetValueOrDefault(g) + 1;
        }

        return counts;
    }
}

/// <summary>Text lengths in TextTokens tokens.</summary>
public sealed record LengthStats(double Mean, double StdDev, double Median, double P90);
