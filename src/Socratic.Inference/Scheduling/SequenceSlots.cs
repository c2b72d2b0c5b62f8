// Sequence ids of one context, handed out lowest first. With a per-sequence (non-unified) KV cache llama.cpp splits
// a batch into micro-batches of consecutive, increasing sequence ids, each one pass over the weights: a step whose
// tokens come from sequences 1..7 and then 0 costs two passes, and a scrambled order up to one pass per sequence.
// Dense ids from 0, with the batch filled in id order, keep a decode step one pass (measured: 30% of K=8 throughput).
namespace Socratic.Inference.Scheduling;

internal sealed class SequenceSlots(int capacity)
{
    private readonly bool[] taken = new bool[capacity];

    public int FreeCount { get; private set; } = capacity;

    /// <summary>Takes the lowest free id; false when every id is in use.</summary>
    public bool TryTake(out int id)
    {
        for (id = 0; id < taken.Length; id++)
        {
            if (!taken[id])
            {
                taken[id] = true;
                FreeCount--;
                return true;
            }
        }

        id = -1;
        return false;
    }

    public void Return(int id)
    {
        if (!taken[id])
        {
            throw new InvalidOperationException($"Sequence {id} is not in use.");
        }

        taken[id] = false;
        FreeCount++;
    }
}
