// Sampling for one generation. Defaults are greedy-ish and short so a mis-specified game stays cheap.
namespace Socratic.Core.Policies;

public sealed record SamplingSettings
{
    /// <summary>0 means greedy decoding.</summary>
    public float Temperature { get; init; } = 0.7f;

    public float TopP { get; init; } = 0.95f;

    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; } = 40;

    public float RepeatPenalty { get; init; } = 1.0f;

    public int MaxTokens { get; init; } = 64;

    /// <summary>Generation ends when the text ends with any of these; the stop string is not returned.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Per-request seed. The engine derives one per turn from the episode seed when null.</summary>
    public uint? Seed { get; init; }
}
