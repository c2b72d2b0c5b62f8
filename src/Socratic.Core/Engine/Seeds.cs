// Seed derivation. Everything random in an episode (task draw, per-turn sampling seeds) is derived from the
// run seed with SplitMix64, so an episode replays identically whether it runs alone, in a batch, or resumes.
namespace Socratic.Core.Engine;

public static class Seeds
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A fully specified 64-bit hash of text (FNV-1a over UTF-8), for seeds and splits keyed by content.</summary>
    public static ulong OfText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }

    public static ulong Combine(ulong seed, long index) => Mix(seed ^ Mix(unchecked((ulong)index)));

    /// <summary>The seed of episode <paramref name="ordinal"/> of a run.</summary>
    public static ulong Episode(ulong runSeed, int ordinal) => Combine(runSeed, ordinal);

    /// <summary>The sampling seed of turn <paramref name="turnIndex"/> of an episode (llama.cpp samplers take 32 bits).</summary>
    public static uint Turn(ulong episodeSeed, int turnIndex) => (uint)(Combine(episodeSeed, 1_000_003L + turnIndex) >> 32);
}
