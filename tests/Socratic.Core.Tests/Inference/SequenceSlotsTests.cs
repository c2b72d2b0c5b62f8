// Sequence ids are handed out lowest first, so the live ids stay dense from 0 and a decode step's batch, sent in id
// order, is one micro-batch for llama.cpp's per-sequence KV cache (it splits wherever ids are not consecutive).
using Socratic.Inference.Scheduling;

namespace Socratic.Core.Tests.Inference;

public sealed class SequenceSlotsTests
{
    [Fact]
    public void Ids_freed_out_of_order_are_taken_again_lowest_first()
    {
        var slots = new SequenceSlots(4);
        var taken = Enumerable.Range(0, 4).Select(_ => slots.TryTake(out var id) ? id : -1).ToArray();
        Assert.Equal([0, 1, 2, 3], taken);
        Assert.False(slots.TryTake(out _));

        // Finished in the order 3, 0, 2 (the order a round of episodes ends in): the next ones get 0, 2, 3.
        slots.Return(3);
        slots.Return(0);
        slots.Return(2);
        Assert.Equal(3, slots.FreeCount);
        var again = Enumerable.Range(0, 3).Select(_ => slots.TryTake(out var id) ? id : -1).ToArray();

        Assert.Equal([0, 2, 3], again);
        Assert.Equal(0, slots.FreeCount);
    }

    [Fact]
    public void Returning_an_id_that_is_not_in_use_is_refused()
    {
        var slots = new SequenceSlots(2);
        slots.TryTake(out var id);
        slots.Return(id);

        Assert.Throws<InvalidOperationException>(() => slots.Return(id));
        Assert.Equal(2, slots.FreeCount);
    }
}
