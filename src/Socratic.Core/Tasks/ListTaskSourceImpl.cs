// Draws tasks from a fixed list. Index i falls in epoch i / n at position i % n; with Shuffle each epoch is a
// different seeded permutation (every item once per epoch), otherwise the list is cycled in order.
using System.Globalization;

namespace Socratic.Core.Tasks;

public sealed class ListTaskSourceImpl : ITaskSource
{
    private readonly IReadOnlyList<ListTaskItem> _items;
    private readonly bool _shuffle;

    // The most recent permutation: consecutive draws almost always share an epoch, so one slot avoids an
    // O(n) shuffle per draw. Replaced wholesale (immutable), so concurrent readers never see a partial one.
    private volatile Permutation? _last;

    public ListTaskSourceImpl(ListTaskSource definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Items.Count == 0)
        {
            throw new ArgumentException("A list task source needs at least one item.", nameof(definition));
        }

        _items = definition.Items;
        _shuffle = definition.Shuffle;
    }

    public GameTask Draw(long index, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var n = _items.Count;
        var epoch = index / n;
        var position = (int)(index % n);
        var itemIndex = _shuffle ? PermutationFor(seed, epoch)[position] : position;
        var item = _items[itemIndex];
        var id = item.Id ?? string.Create(CultureInfo.InvariantCulture, $"item-{itemIndex}");
        return new GameTask(id, item.Prompt, item.Answer) { Fields = item.Fields };
    }

    private int[] PermutationFor(ulong seed, long epoch)
    {
        if (_last is { } p && p.Seed == seed && p.Epoch == epoch)
        {
            return p.Order;
        }

        var order = new int[_items.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Fisher–Yates with a stream per (seed, epoch).
        var rng = SplitMix64.ForStream(seed, (ulong)epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)rng.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        _last = new Permutation(seed, epoch, order);
        return order;
    }

    private sealed record Permutation(ulong Seed, long Epoch, int[] Order);
}
