// A meta-critic proposal and its fate. Proposals carry evidence (numbers, episode ids) and an expected effect;
// only an admin (or an autopilot rule an admin allowed for that kind) moves them past Proposed.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.MetaCritic;

public enum DecisionKind
{
    Reweight,
    PauseGame,
    RaiseDiversity,
    Promote,
    Rollback,
}

public enum DecisionStatus
{
    Proposed,
    Approved,
    Rejected,
    Applied,
}

[Index(nameof(Status))]
public sealed class Decision
{
    public long Id { get; set; }

    public long? CampaignId { get; set; }

    public long? GenerationId { get; set; }

    public DecisionKind Kind { get; set; }

    public required string Rationale { get; set; }

    [Column(TypeName = "jsonb")]
    public string Evidence { get; set; } = "{}";

    public string ExpectedEffect { get; set; } = "";

    /// <summary>What applying it changes (e.g. new weights), machine-readable.</summary>
    [Column(TypeName = "jsonb")]
    public string Payload { get; set; } = "{}";

    public DecisionStatus Status { get; set; } = DecisionStatus.Proposed;

    public DateTimeOffset ProposedAt { get; set; }

    [MaxLength(256)]
    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionComment { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }

    public bool AppliedByAutopilot { get; set; }
}
