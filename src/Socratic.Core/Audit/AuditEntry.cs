// Append-only record of who did what: game edits, runs started and cancelled, decisions taken, users changed.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Audit;

[Index(nameof(At))]
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    [MaxLength(256)]
    public required string Actor { get; set; }

    [MaxLength(100)]
    public required string Action { get; set; }

    [MaxLength(100)]
    public required string EntityType { get; set; }

    [MaxLength(100)]
    public string? EntityId { get; set; }

    [Column(TypeName = "jsonb")]
    public string Details { get; set; } = "{}";
}
