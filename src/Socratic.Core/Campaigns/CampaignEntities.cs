// The closed loop's bookkeeping: a Campaign runs Generations; each generation is a chain of steps
// (self-play → … → approval) whose current step is stored so the chain resumes after a crash.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Campaigns;

public enum CampaignStatus
{
    Draft,
    Running,
    Paused,
    Completed,
    Failed,
}

public enum GenerationStep
{
    SelfPlay,
    Scoring,
    Coverage,
    Curation,
    Training,
    Evaluation,
    MetaCritic,
    Approval,
    Done,
}

public enum GenerationStatus
{
    Running,
    WaitingForApproval,
    Completed,
    Failed,
}

[Index(nameof(Name), IsUnique = true)]
public sealed class Campaign
{
    public long Id { get; set; }

    [MaxLength(200)]
    public required string Name { get; set; }

    /// <summary>Episodes per generation, curation rules, objective and hyper-parameters, eval suites, autopilot rules.</summary>
    [Column(TypeName = "jsonb")]
    public string Config { get; set; } = "{}";

    public CampaignStatus Status { get; set; } = CampaignStatus.Draft;

    public long StartPolicyId { get; set; }

    public long? CurrentPolicyId { get; set; }

    public int CurrentGeneration { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    [MaxLength(256)]
    public string? CreatedBy { get; set; }

    public List<CampaignGame> Games { get; set; } = [];
}

[PrimaryKey(nameof(CampaignId), nameof(GameId))]
public sealed class CampaignGame
{
    public long CampaignId { get; set; }

    public long GameId { get; set; }

    public double Weight { get; set; } = 1.0;

    public bool Paused { get; set; }
}

[Index(nameof(CampaignId), nameof(Number), IsUnique = true)]
public sealed class Generation
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public int Number { get; set; }

    /// <summary>The policy that plays in this generation.</summary>
    public long PolicyId { get; set; }

    public GenerationStep Step { get; set; } = GenerationStep.SelfPlay;

    public GenerationStatus Status { get; set; } = GenerationStatus.Running;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    [Column(TypeName = "jsonb")]
    public string Metrics { get; set; } = "{}";
}
