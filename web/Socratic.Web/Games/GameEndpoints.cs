// HTTP API for games: the body of create/update is the game definition JSON itself (the same file users
// import/export and `socratic play --game FILE` reads).
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Games;

public static class GameEndpoints
{
    public static void MapGameEndpoints(this IEndpointRouteBuilder app)
    {
        var games = app.MapGroup("/api/games").AddEndpointFilter<ValidationExceptionFilter>();

        games.MapGet("/", async (SocraticDbContext db, CancellationToken ct) =>
            await db.Games.AsNoTracking().OrderBy(g => g.Name).Select(g => new
            {
                g.Id, g.Slug, g.Name, g.Description, g.Tags, g.Weight, g.Enabled,
                LatestVersion = g.Versions.Max(v => (int?)v.Version),
            }).ToListAsync(ct)).RequireAuthorization(Policies.Watch);

        games.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
        {
            var game = await db.Games.AsNoTracking().Include(g => g.Versions).FirstOrDefaultAsync(g => g.Id == id, ct);
            if (game is null)
            {
                return Results.NotFound();
            }

            var latest = game.Versions.MaxBy(v => v.Version);
            return Results.Ok(new
            {
                game.Id, game.Slug, game.Name, game.Description, game.Tags, game.Weight, game.Enabled,
                Versions = game.Versions.OrderBy(v => v.Version).Select(v => new { v.Id, v.Version, v.Locked, v.CreatedAt, v.CreatedBy }),
                Definition = latest is null ? null : JsonNode.Parse(latest.Definition),
            });
        }).RequireAuthorization(Policies.Watch);

        games.MapGet("/{id:long}/versions/{version:int}", async (long id, int version, SocraticDbContext db, CancellationToken ct) =>
        {
            var v = await db.GameVersions.AsNoTracking().FirstOrDefaultAsync(x => x.GameId == id && x.Version == version, ct);
            return v is null ? Results.NotFound() : Results.Text(v.Definition, "application/json");
        }).RequireAuthorization(Policies.Watch);

        games.MapPost("/", async (HttpRequest request, HttpContext http, GameCatalog catalog, CancellationToken ct) =>
        {
            var json = await JsonBody.ReadTextAsync(request, ct);
            var saved = await catalog.SaveAsync(json, null, http.User.Identity?.Name ?? "unknown", ct);
            return Results.Created($"/api/games/{saved.GameId}", saved);
        }).RequireAuthorization(Policies.Author);

        games.MapPut("/{id:long}", async (long id, HttpRequest request, HttpContext http, GameCatalog catalog, CancellationToken ct) =>
        {
            var json = await JsonBody.ReadTextAsync(request, ct);
            try
            {
                return Results.Ok(await catalog.SaveAsync(json, id, http.User.Identity?.Name ?? "unknown", ct));
            }
            catch (KeyNotFoundException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(Policies.Author);

        // Live weight and pause: outside the versions, so changing them is not a rule change.
        games.MapPut("/{id:long}/settings", async (long id, HttpRequest request, HttpContext http, GameLibrary library, CancellationToken ct) =>
        {
            var settings = await JsonBody.ReadAsync<GameSettings>(request, ct);
            return await library.SetSettingsAsync(http.User, id, settings, ct) ? Results.NoContent() : Results.NotFound();
        }).RequireAuthorization(Policies.Author);

        // The game file as a download (latest version unless ?version=N); what import and `socratic play --game` read.
        games.MapGet("/{id:long}/export", async (long id, int? version, GameLibrary library, CancellationToken ct) =>
            await library.ExportAsync(id, version, ct) is { } export
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(export.Json), "application/json", export.FileName)
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        games.MapJudgeMonitor();
    }
}
