// The dashboards over HTTP: the same aggregates as the page, as JSON or as one CSV table (RFC 4180) to download.
// Observers read. Query: campaign, game, from, to (generations, inclusive); table = games | evaluation | diversity.
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Dashboards;

public static class DashboardEndpoints
{
    public static readonly IReadOnlyList<string> Tables = ["games", "evaluation", "diversity"];

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboards").AddEndpointFilter<ValidationExceptionFilter>().RequireAuthorization(Policies.Watch);

        group.MapGet("/", async (long? campaign, long? game, int? from, int? to, DashboardQuery query, CancellationToken ct) =>
            Results.Ok(await query.LoadAsync(new DashboardFilter { CampaignId = campaign, GameId = game, FromGeneration = from, ToGeneration = to }, ct)));

        group.MapGet("/csv", async (string? table, long? campaign, long? game, int? from, int? to, DashboardQuery query, CancellationToken ct) =>
        {
            table = string.IsNullOrWhiteSpace(table) ? "games" : table.Trim().ToLowerInvariant();
            if (!Tables.Contains(table))
            {
                return ApiErrors.BadRequest([new("table", "must be games, evaluation or diversity")]);
            }

            var data = await query.LoadAsync(new DashboardFilter { CampaignId = campaign, GameId = game, FromGeneration = from, ToGeneration = to }, ct);
            var csv = ToCsv(data, table);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"socratic-{table}.csv");
        });
    }

    /// <summary>One of the dashboard's tables as CSV, with the page table's columns.</summary>
    public static string ToCsv(DashboardData data, string table) => table switch
    {
        "evaluation" => Csv.Write(
            ["generation", "suite", "results", "count", "correct", "accuracy", "ci_low", "ci_high"],
            data.Evaluation.Select(r => (IReadOnlyList<object?>)[r.Generation, r.Suite, r.Results, r.Count, r.Correct, r.Accuracy, r.CiLow, r.CiHigh])),
        "diversity" => Csv.Write(
            ["generation", "game_id", "game", "texts", "distinct1", "distinct2", "self_bleu", "compression_ratio", "novelty", "alarms"],
            data.Diversity.Select(r => (IReadOnlyList<object?>)[r.Generation, r.GameId, r.Game, r.Texts, r.Distinct1, r.Distinct2, r.SelfBleu, r.CompressionRatio, r.Novelty, r.Alarms])),
        _ => Csv.Write(
            ["generation", "game_id", "game", "episodes", "failed", "scored", "mean_score", "score_sd", "grounded_mean", "judge_mean", "tokens_per_episode", "seconds_per_episode"],
            data.Games.Select(r => (IReadOnlyList<object?>)[
                r.Generation, r.GameId, r.Game, r.Episodes, r.Failed, r.Scored, r.MeanScore, r.ScoreSd, r.GroundedMean, r.JudgeMean, r.TokensPerEpisode, r.SecondsPerEpisode])),
    };
}
