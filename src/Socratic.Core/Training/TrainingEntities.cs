// Curated datasets (versioned, with a card and a content hash) and the training runs that turn them into the
// next policy. Items keep the episode they came from, for lineage.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Training;

public enum DatasetKind
{
    Chat,
    Preference,
    ScoredGroups,
}

public enum TrainingStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

[Index(nameof(Name), nameof(Version), IsUnique = true)]
public sealed class Dataset
{
    public long Id { get; set; }

    [MaxLength(200)]
    public required string Name { get; set; }

    public int Version { get; set; } = 1;

    public DatasetKind Kind { get; set; }

    public long? CampaignId { get; set; }

    public long? GenerationId { get; set; }

    [Column(TypeName = "jsonb")]
    public string Filters { get; set; } = "{}";

    /// <summary>Dataset card: counts, source games and generations, filters, hashes.</summary>
    [Column(TypeName = "jsonb")]
    public string Card { get; set; } = "{}";

    public int ItemCount { get; set; }

    [MaxLength(64)]
    public string Sha256 { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

[Index(nameof(DatasetId), nameof(Ordinal), IsUnique = true)]
public sealed class DatasetItem
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    public int Ordinal { get; set; }

    /// <summary>One line in the dataset's export format (chat, preference pair or scored group).</summary>
    [Column(TypeName = "jsonb")]
    public required string Content { get; set; }

    public long? EpisodeId { get; set; }
}

public sealed class TrainingRun
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    public long BasePolicyId { get; set; }

    public long? OutputPolicyId { get; set; }

    [MaxLength(32)]
    public required string Objective { get; set; }

    [Column(TypeName = "jsonb")]
    public string Hyperparameters { get; set; } = "{}";

    public TrainingStatus Status { get; set; } = TrainingStatus.Queued;

    /// <summary>[{step, loss, lr, tokensPerSecond}] appended as training goes.</summary>
    [Column(TypeName = "jsonb")]
    public string LossCurve { get; set; } = "[]";

    public int StepsDone { get; set; }

    public int TotalSteps { get; set; }

    [MaxLength(1024)]
    public string? CheckpointPath { get; set; }

    [MaxLength(64)]
    public string? JobId { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
