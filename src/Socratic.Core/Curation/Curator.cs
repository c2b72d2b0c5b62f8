// Turns a generation's scored samples into the examples worth training on: grounded-only, score threshold,
// top-k per task, near-duplicate removal (best first, so the kept copy is the better one), then a size cap
// that takes turns across games and task clusters so one easy game cannot fill the dataset. Every drop is
// counted by reason for the dataset card. Pure and deterministic: same samples and rules, same dataset.
namespace Socratic.Core.Curation;

public sealed record CurationOutcome(IReadOnlyList<CurationSample> Kept, IReadOnlyDictionary<string, int> Dropped);

public static class Curator
{
    public static CurationOutcome Curate(IReadOnlyList<CurationSample> samples, CurationRules rules)
    {
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
        IEnumerable<CurationSample> current = samples;

        current = Drop(current, s => rules.GroundedOnly && !s.Grounded, "not_grounded", dropped);
        current = Drop(current, s => rules.MinScore is { } min && s.Score < min, "below_min_score", dropped);

        var ranked = BestFirst(current).ToList();
        if (rules.TopKPerTask is { } k)
        {
            var topK = ranked.GroupBy(s => (s.Game, s.TaskId)).SelectMany(g => g.Take(k)).ToHashSet();
            ranked = Drop(ranked, s => !topK.Contains(s), "beyond_top_k", dropped);
        }

        if (rules.DedupThreshold > 0 && ranked.Count > 1)
        {
            var keep = new MinHash().KeepDistinct([.. ranked.Select(s => s.Completion)], rules.DedupThreshold).ToHashSet();
            ranked = Drop(ranked.Select((s, i) => (s, i)), x => !keep.Contains(x.i), "near_duplicate", dropped).Select(x => x.s).ToList();
        }

        if (rules.MaxItems is { } max && ranked.Count > max)
        {
            var balanced = Interleave(ranked.GroupBy(s => s.Game, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(game => Interleave(game.GroupBy(s => s.Cluster, StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.ToList()))))
                .Take(max)
                .ToList();
            dropped["balance_cap"] = ranked.Count - balanced.Count;
            ranked = balanced;
        }

        return new CurationOutcome(ranked, dropped);
    }

    /// <summary>Highest score first; ties broken by episode and role so the order never depends on input order.</summary>
    public static IEnumerable<CurationSample> BestFirst(IEnumerable<CurationSample> samples) =>
        samples.OrderByDescending(s => s.Score).ThenBy(s => s.EpisodeId).ThenBy(s => s.Role, StringComparer.Ordinal);

    /// <summary>Round-robin over the lists: the first of each, then the second of each, and so on.</summary>
    private static List<CurationSample> Interleave(IEnumerable<List<CurationSample>> lists)
    {
        var queues = lists.Select(l => new Queue<CurationSample>(l)).ToList();
        var result = new List<CurationSample>();
        while (queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
            {
                result.Add(queue.Dequeue());
            }
        }

        return result;
    }

    private static List<T> Drop<T>(IEnumerable<T> items, Func<T, bool> drop, string reason, Dictionary<string, int> dropped)
    {
        var kept = new List<T>();
        var count = 0;
        foreach (var item in items)
        {
            if (drop(item))
            {
                count++;
            }
            else
            {
                kept.Add(item);
            }
        }

        if (count > 0)
        {
            dropped[reason] = dropped.GetValueOrDefault(reason) + count;
        }

        return kept;
    }
}
