// The knobs of curation, stored with every dataset (its card) so a dataset can be rebuilt and audited.
namespace Socratic.Core.Curation;

public sealed record CurationRules
{
    /// <summary>Keep only samples whose score comes from a grounded check (answers, code, rules), never a judge.</summary>
    public bool GroundedOnly { get; init; } = true;

    /// <summary>Drop samples scoring below this (SFT exports; pairs and groups need the low scores too).</summary>
    public double? MinScore { get; init; }

    /// <summary>Keep at most this many best-scoring samples per (game, task).</summary>
    public int? TopKPerTask { get; init; }

    /// <summary>Estimated Jaccard similarity at or above which a sample is a near-duplicate of a better one; 0 disables.</summary>
    public double DedupThreshold { get; init; } = 0.9;

    /// <summary>Cap on the dataset size; reached by taking turns across games, and across task clusters inside a game.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Least score difference between chosen and rejected for a preference pair.</summary>
    public double MinPairGap { get; init; } = 0.5;
}
