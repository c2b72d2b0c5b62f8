// What the meta-critic looks at after a generation: per game (weight, share of the curated data, mean grounded
// score now and before, judge/length correlation, canary hits), the held-out evaluations of the new policy
// and of its parent, and the coverage alarms. Plain records so the same evidence is stored with each proposal.
using Socratic.Core.Coverage;

namespace Socratic.Core.MetaCritic;

/// <param name="DataShare">Fraction of this generation's curated training examples that came from the game.</param>
/// <param name="JudgeLengthCorrelation">Correlation of judge scores with answer length; null without a judge.</param>
/// <param name="CanaryHits">Reward-hacking canaries that fired in this generation's episodes.</param>
/// <param name="ExampleEpisodes">Episodes a person can open to check the numbers.</param>
public sealed record GameEvidence(
    long GameId, string Game, double Weight, double DataShare, double MeanScore, double? PreviousMeanScore, int Episodes,
    double? JudgeLengthCorrelation = null, int CanaryHits = 0, IReadOnlyList<long>? ExampleEpisodes = null);

public sealed record EvalEvidence(string Suite, int Count, int Correct)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}

public sealed record GenerationEvidence(
    int Generation,
    long PolicyId,
    long? ParentPolicyId,
    IReadOnlyList<GameEvidence> Games,
    IReadOnlyList<EvalEvidence> Evaluation,
    IReadOnlyList<EvalEvidence> ParentEvaluation,
    IReadOnlyList<CoverageAlarm> Alarms,
    double Temperature);

/// <summary>The meta-critic's thresholds; documented defaults, overridable per campaign.</summary>
public sealed record MetaCriticSettings
{
    /// <summary>Step size of the multiplicative-weights update over games.</summary>
    public double LearningRate { get; init; } = 2.0;

    /// <summary>No game's share of the mix falls below this (keeps exploring).</summary>
    public double MinShare { get; init; } = 0.05;

    /// <summary>A re-weighting is proposed only when some game's share moves by at least this much.</summary>
    public double MinShareChange { get; init; } = 0.02;

    /// <summary>Rise of a game's mean score that, with flat or falling held-out accuracy, looks like exploitation.</summary>
    public double ExploitScoreRise { get; init; } = 0.1;

    /// <summary>Held-out change at or below which evaluation counts as flat.</summary>
    public double FlatEvalChange { get; init; } = 0.01;

    /// <summary>|correlation| of judge score with answer length above which a judge is being gamed by length.</summary>
    public double MaxJudgeLengthCorrelation { get; init; } = 0.5;

    public double TemperatureStep { get; init; } = 0.2;

    public double MaxTemperature { get; init; } = 1.5;
}
