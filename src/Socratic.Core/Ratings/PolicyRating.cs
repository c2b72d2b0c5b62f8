// A policy's Elo rating within a campaign as it stood after one generation's self-play, with its record so far
// (pairwise games, wins, losses, draws; cumulative over the campaign). One row per (generation, policy that took
// part or played the generation), so a campaign's ratings can be read generation by generation.
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Socratic.Core.Ratings;

[Index(nameof(GenerationId), nameof(PolicyId), IsUnique = true)]
[Index(nameof(CampaignId), nameof(PolicyId))]
[Table("PolicyRatings")]
public sealed class PolicyRating
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long GenerationId { get; set; }

    public long PolicyId { get; set; }

    public double Rating { get; set; }

    /// <summary>Pairwise games rated so far in the campaign (see Elo).</summary>
    public int Games { get; set; }

    public int Wins { get; set; }

    public int Losses { get; set; }

    public int Draws { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
