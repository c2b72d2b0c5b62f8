// Parallel loops that stay serial when the work is too small to pay for thread hand-off
// (most matrices of the test models are 64x64; Parallel.For there costs more than the arithmetic).
namespace Socratic.Training.Layers;

internal static class Par
{
    const long SerialWork = 1 << 15;
    static readonly ParallelOptions Options = new();

    /// <summary>Upper bound on worker threads for every kernel (-1: all cores). Set once, before training.</summary>
    public static int MaxThreads
    {
        get => Options.MaxDegreeOfParallelism;
        set => Options.MaxDegreeOfParallelism = value is 0 or < -1 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
    }

    public static void For(int n, long workPerItem, Action<int> body)
    {
        if (n <= 1 || n * workPerItem < SerialWork)
        {
            for (int i = 0; i < n; i++) body(i);
            return;
        }
        Parallel.For(0, n, Options, body);
    }
}
