// How much a game's judge scores follow answer length: a judge that rewards longer answers is being gamed by
// verbosity, not persuaded by content. Reads every stored judge score of the game (all versions) with the
// answer lengths the judge scorer recorded, and reports Spearman and Pearson correlation between length and
// value, plus — for pairwise verdicts — how often the longer answer won. Flags the game when |Spearman| reaches
// FlagCorrelation over at least MinScoresToFlag scores; below that the numbers are shown but not trusted.
// Only the latest MaxScores judge scores are read, so the report stays cheap on a long-running game and
// describes how the judge behaves now.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;

namespace Socratic.Core.Scoring;

public sealed record JudgeLengthReport(
    long GameId, int Scores, double? Spearman, double? Pearson, int DecidedPairs, double? LongerWinsRate, bool FollowsLength, string Summary);

public sealed class JudgeLengthMonitor(SocraticDbContext db)
{
    public const double FlagCorrelation = 0.3;
    public const int MinScoresToFlag = 20;
    public const int MaxScores = 20_000;

    /// <summary>The report for a game, or null when the game does not exist.</summary>
    public async Task<JudgeLengthReport?> ReportAsync(long gameId, CancellationToken cancellationToken)
    {
        if (!await db.Games.AnyAsync(g => g.Id == gameId, cancellationToken))
        {
            return null;
        }

        var rows = await db.Scores.AsNoTracking()
            .Where(s => s.Kind == "judge" && db.Episodes.Any(e => e.Id == s.EpisodeId && e.GameVersion.GameId == gameId))
            .OrderByDescending(s => s.Id)
            .Take(MaxScores)
            .Select(s => new { s.Value, s.Details })
            .ToListAsync(cancellationToken);

        var lengths = new List<double>();
        var values = new List<double>();
        int decided = 0, longerWon = 0;
        foreach (var row in rows)
        {
            using var details = JsonDocument.Parse(row.Details);
            var root = details.RootElement;
            if (!root.TryGetProperty("answerChars", out var chars) || chars.ValueKind != JsonValueKind.Number)
            {
                continue; // written by something other than the judge scorer; nothing to correlate
            }

            lengths.Add(chars.GetDouble());
            values.Add(row.Value);

            // Each decided pair is stored once per candidate; counting only the winner's row counts it once.
            if (row.Value == 1.0 && root.TryGetProperty("otherChars", out var other) && other.ValueKind == JsonValueKind.Number
                && other.GetDouble() != chars.GetDouble())
            {
                decided++;
                longerWon += chars.GetDouble() > other.GetDouble() ? 1 : 0;
            }
        }

        var spearman = Correlation.Spearman(lengths, values);
        var pearson = Correlation.Pearson(lengths, values);
        var follows = spearman is { } r && Math.Abs(r) >= FlagCorrelation && values.Count >= MinScoresToFlag;
        var summary = values.Count < 3 ? "too few judge scores to measure"
            : spearman is null ? "judge scores or lengths do not vary; no correlation"
            : follows ? $"judge scores follow answer length (Spearman {spearman:0.00} over {values.Count} scores)"
            : values.Count < MinScoresToFlag ? $"Spearman {spearman:0.00} over {values.Count} scores; at least {MinScoresToFlag} are needed to flag"
            : $"no strong length preference (Spearman {spearman:0.00} over {values.Count} scores)";
        return new JudgeLengthReport(gameId, values.Count, spearman, pearson, decided, decided == 0 ? null : (double)longerWon / decided, follows, summary);
    }
}
