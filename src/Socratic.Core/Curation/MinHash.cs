// Near-duplicate detection for curation: MinHash signatures over word 3-gram shingles estimate Jaccard
// similarity, and LSH banding finds candidate pairs without comparing every pair (self-play produces many
// almost-identical transcripts; training on them narrows the policy). Deterministic: the hash family is fixed
// by a seed, so the same data curates the same way everywhere.
namespace Socratic.Core.Curation;

public sealed class MinHash
{
    private readonly ulong[] _a;
    private readonly ulong[] _b;

    public MinHash(int permutations = 128, int seed = 17)
    {
        var random = new Random(seed);
        _a = [.. Enumerable.Range(0, permutations).Select(_ => (ulong)random.NextInt64() | 1)];
        _b = [.. Enumerable.Range(0, permutations).Select(_ => (ulong)random.NextInt64())];
    }

    public int Permutations => _a.Length;

    public ulong[] Signature(string text, int shingle = 3)
    {
        var tokens = Coverage.TextTokens.Of(text);
        var grams = tokens.Length < shingle ? [string.Join(' ', tokens)] : Coverage.TextTokens.NGrams(tokens, shingle);
        var signature = Enumerable.Repeat(ulong.MaxValue, _a.Length).ToArray();
        foreach (var gram in grams.Distinct(StringComparer.Ordinal))
        {
            var h = StableHash(gram);
            for (var i = 0; i < _a.Length; i++)
            {
                // A multiply-add family modulo 2^64: cheap, and good enough to estimate Jaccard to a few percent.
                var v = (_a[i] * h) + _b[i];
                if (v < signature[i])
                {
                    signature[i] = v;
                }
            }
        }

        return signature;
    }

    public static double Similarity(ulong[] x, ulong[] y)
    {
        var same = 0;
        for (var i = 0; i < x.Length; i++)
        {
            same += x[i] == y[i] ? 1 : 0;
        }

        return (double)same / x.Length;
    }

    /// <summary>
    /// Indexes of the items to keep: walking in the given order (callers put the best first), an item is dropped
    /// when its estimated Jaccard similarity to an already kept one is at least <paramref name="threshold"/>.
    /// </summary>
    public IReadOnlyList<int> KeepDistinct(IReadOnlyList<string> texts, double threshold, int bands = 32)
    {
        var rows = _a.Length / bands;
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        var signatures = new List<ulong[]>(texts.Count);
        var kept = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            var signature = Signature(texts[i]);
            signatures.Add(signature);
            var keys = Enumerable.Range(0, bands).Select(b => (b, BandKey(signature, b * rows, rows))).ToList();
            var duplicate = keys
                .SelectMany(k => buckets.TryGetValue(k, out var list) ? list : [])
                .Distinct()
                .Any(j => Similarity(signature, signatures[j]) >= threshold);
            if (duplicate)
            {
                continue;
            }

            kept.Add(i);
            foreach (var key in keys)
            {
                if (!buckets.TryGetValue(key, out var list))
                {
                    buckets[key] = list = [];
                }

                list.Add(i);
            }
        }

        return kept;
    }

    /// <summary>FNV-1a over the chars, then a SplitMix64 finaliser to spread the bits (string.GetHashCode is per-process).</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    private static ulong BandKey(ulong[] signature, int start, int count)
    {
        var hash = 14695981039346656037UL;
        for (var i = start; i < start + count; i++)
        {
            hash = (hash ^ signature[i]) * 1099511628211UL;
        }

        return hash;
    }
}
