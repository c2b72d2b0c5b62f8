// A campaign's settings, stored as the Campaign.Config JSON: how much self-play per generation and how hot,
// how curated data is chosen and in which format, how the next policy is trained, which held-out suites judge
// it, the meta-critic's thresholds, and which proposal kinds the autopilot may apply without an admin.
using System.Text.Json;
using Socratic.Core.Coverage;
using Socratic.Core.Curation;
using Socratic.Core.Games;
using Socratic.Core.MetaCritic;
using Socratic.Core.Ratings;
using Socratic.Core.Training;

namespace Socratic.Core.Campaigns;

public sealed record CampaignConfig
{
    /// <summary>Generations to play before the campaign completes.</summary>
    public int Generations { get; init; } = 3;

    public int EpisodesPerGeneration { get; init; } = 64;

    /// <summary>Sampling temperature of self-play; the meta-critic's "raise diversity" proposals change it.</summary>
    public double Temperature { get; init; } = 0.8;

    /// <summary>Share of self-play episodes whose opponent roles are played by a frozen earlier generation.</summary>
    public double OpponentPoolShare { get; init; } = 0.5;

    /// <summary>How many earlier generations' policies (the latest) the opponent pool holds; each is loaded by the self-play worker.</summary>
    public int OpponentPoolSize { get; init; } = 8;

    public CurationRules Curation { get; init; } = new() { MinScore = 1 };

    public DatasetKind DatasetKind { get; init; } = DatasetKind.Chat;

    /// <summary>"sft", "dpo" or "grpo".</summary>
    public string Objective { get; init; } = "sft";

    public TrainingHyperparameters Hyperparameters { get; init; } = new();

    /// <summary>Held-out suites (EvaluationSuites names) played after training by the new policy and, where it has no result yet, its parent.</summary>
    public IReadOnlyList<string> EvalSuites { get; init; } = [];

    /// <summary>Tasks played per suite and policy in the evaluation step.</summary>
    public int EvalTasks { get; init; } = 50;

    /// <summary>Seed of the evaluation tasks: every policy of the campaign plays the same ones (a paired comparison);
    /// 0, like `socratic eval`'s default.</summary>
    public long EvalSeed { get; init; }

    /// <summary>Elo ratings of the campaign's policies from self-play (K-factor, initial rating).</summary>
    public RatingSettings Ratings { get; init; } = new();

    public CoverageThresholds Coverage { get; init; } = new();

    public MetaCriticSettings MetaCritic { get; init; } = new();

    /// <summary>Proposal kinds applied as soon as they are made; every other kind waits for an admin.</summary>
    public IReadOnlyList<DecisionKind> Autopilot { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, GameJson.Options);

    public static CampaignConfig FromJson(string json) => JsonSerializer.Deserialize<CampaignConfig>(json, GameJson.Options) ?? new();
}
