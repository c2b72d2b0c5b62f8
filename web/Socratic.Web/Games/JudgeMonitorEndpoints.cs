// GET /api/games/{id}/judge-length: how much the game's judge scores follow answer length (JudgeLengthMonitor).
// Readable by observers, like the game itself.
using Socratic.Core.Data;
using Socratic.Core.Scoring;
using Socratic.Web.Auth;

namespace Socratic.Web.Games;

public static class JudgeMonitorEndpoints
{
    public static void MapJudgeMonitor(this RouteGroupBuilder games) =>
        games.MapGet("/{id:long}/judge-length", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await new JudgeLengthMonitor(db).ReportAsync(id, ct) is { } report ? Results.Ok(report) : Results.NotFound())
            .RequireAuthorization(Policies.Watch);
}
