// A tiny, fully specified PRNG (SplitMix64, public-domain constants). Task sources must give the same task
// for (index, seed) on every machine and every .NET version; System.Random's algorithm is not a contract.
namespace Socratic.Core.Tasks;

public struct SplitMix64(ulong state)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state = state;

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mixer, used to derive independent streams.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A generator for one (seed, stream) pair, e.g. (run seed, episode index); nearby pairs give unrelated streams.</summary>
    public static SplitMix64 ForStream(ulong seed, ulong stream) => new(Mix(seed ^ Mix(stream + Gamma)));

    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, bound) without modulo bias (rejection sampling); bound must be positive.</summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong x;
        do
        {
            x = Next();
        }
        while (x >= limit);
        return x % bound;
    }

    /// <summary>Uniform in [min, max] inclusive.</summary>
    public long NextInRange(long min, long max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        var span = (ulong)(max - min) + 1;
        return span == 0 ? (long)Next() : min + (long)NextBelow(span); // span 0 = the whole 64-bit range
    }
}
