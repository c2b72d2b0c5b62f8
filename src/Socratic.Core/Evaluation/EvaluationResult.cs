// A held-out grounded evaluation of one policy on one suite: the observer's metric, with its interval.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Evaluation;

[Index(nameof(PolicyId), nameof(Suite))]
public sealed class EvaluationResult
{
    public long Id { get; set; }

    public long PolicyId { get; set; }

    public long? GenerationId { get; set; }

    [MaxLength(100)]
    public required string Suite { get; set; }

    public int Count { get; set; }

    public int Correct { get; set; }

    public double Accuracy { get; set; }

    /// <summary>95% Wilson interval bounds.</summary>
    public double CiLow { get; set; }

    public double CiHigh { get; set; }

    [Column(TypeName = "jsonb")]
    public string Details { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }
}
