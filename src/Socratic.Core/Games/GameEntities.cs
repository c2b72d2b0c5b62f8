// Persistence of games. A Game is the mutable catalogue entry (name, tags, live weight, enabled);
// each GameVersion is an immutable definition. Once a version has been played it is locked, and an edit
// creates the next version, so every episode points at exactly the rules it was played under.
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Games;

[Index(nameof(Slug), IsUnique = true)]
public sealed class Game
{
    public long Id { get; set; }

    [MaxLength(120)]
    public required string Slug { get; set; }

    [MaxLength(200)]
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    /// <summary>Live weight in the game mix (outside the version, so re-weighting is not a rule change).</summary>
    public double Weight { get; set; } = 1.0;

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    [MaxLength(256)]
    public string? CreatedBy { get; set; }

    public List<GameVersion> Versions { get; set; } = [];
}

[Index(nameof(GameId), nameof(Version), IsUnique = true)]
public sealed class GameVersion
{
    public long Id { get; set; }

    public long GameId { get; set; }

    public Game Game { get; set; } = null!;

    public int Version { get; set; }

    /// <summary>The GameDefinition as JSON (GameJson format).</summary>
    [Column(TypeName = "jsonb")]
    public required string Definition { get; set; }

    /// <summary>SHA-256 of the canonical JSON; an edit that changes nothing does not create a version.</summary>
    [MaxLength(64)]
    public required string DefinitionHash { get; set; }

    /// <summary>Set when the first episode is played; a locked version is never edited in place.</summary>
    public bool Locked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    [MaxLength(256)]
    public string? CreatedBy { get; set; }
}
