// Diversity measurements per generation (and per game): distinct-n, self-BLEU, compression ratio,
// embedding dispersion, novelty, lengths; alarms raised by thresholds go to the dashboards and the meta-critic.
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Coverage;

[Index(nameof(GenerationId))]
public sealed class CoverageReport
{
    public long Id { get; set; }

    public long GenerationId { get; set; }

    /// <summary>Null for the whole generation.</summary>
    public long? GameId { get; set; }

    [Column(TypeName = "jsonb")]
    public string Metrics { get; set; } = "{}";

    [Column(TypeName = "jsonb")]
    public string Alarms { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }
}
