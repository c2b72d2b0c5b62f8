// A policy as the loop records it: base GGUF + optional LoRA adapter, its generation and its lineage
// (parent policy, the dataset and training run that produced it), so any generation traces back to its games.
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Policies;

public enum PolicyStatus
{
    Active,
    Candidate,
    Promoted,
    RolledBack,
    Archived,
}

[Index(nameof(Name), IsUnique = true)]
public sealed class Policy
{
    public long Id { get; set; }

    [MaxLength(200)]
    public required string Name { get; set; }

    [MaxLength(1024)]
    public required string BaseModelPath { get; set; }

    [MaxLength(64)]
    public string? BaseModelSha256 { get; set; }

    [MaxLength(1024)]
    public string? AdapterPath { get; set; }

    public float AdapterScale { get; set; } = 1.0f;

    /// <summary>Explicit chat template name or Jinja text; null = the model's own.</summary>
    public string? ChatTemplate { get; set; }

    public int Generation { get; set; }

    public long? ParentPolicyId { get; set; }

    public Policy? ParentPolicy { get; set; }

    public long? DatasetId { get; set; }

    public long? TrainingRunId { get; set; }

    public long? CampaignId { get; set; }

    public PolicyStatus Status { get; set; } = PolicyStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public string? Notes { get; set; }

    public PolicySpec ToSpec() =>
        new(BaseModelPath) { AdapterPath = AdapterPath, AdapterScale = AdapterScale, ChatTemplate = ChatTemplate, Name = Name };
}
