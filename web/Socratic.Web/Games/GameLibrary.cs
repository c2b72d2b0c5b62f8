// What the Games page and designer do to the catalogue: list with search and tags, re-weight, pause, import,
// export, save a designed game, compare versions, and "Try it" (a one-episode run). Every write checks the
// caller against the Author policy here, on the server, so a page that forgot to hide a button still cannot
// change anything for an observer. Each call uses its own DbContext: a Blazor circuit lives for minutes and
// must not hold one tracking context across user actions.
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Web.Api;
using Socratic.Web.Play;

namespace Socratic.Web.Games;

public sealed record GameRow(long Id, string Slug, string Name, string Description, IReadOnlyList<string> Tags, double Weight, bool Enabled, int? LatestVersion);

public sealed record GameVersionRow(long Id, int Version, bool Locked, DateTimeOffset CreatedAt, string? CreatedBy);

public sealed record GameExport(string FileName, string Json);

public sealed record GameSettings(double? Weight, bool? Enabled);

public sealed class GameLibrary(
    IDbContextFactory<SocraticDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IAuthorizationService authorization,
    TimeProvider time)
{
    /// <summary>Largest game file accepted by import (the API's body limit).</summary>
    public const int MaxImportBytes = JsonBody.MaxBytes;

    public async Task<IReadOnlyList<GameRow>> ListAsync(string? search, string? tag, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var q = db.Games.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var like = "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            q = q.Where(g => EF.Functions.ILike(g.Name, like) || EF.Functions.ILike(g.Description, like) || EF.Functions.ILike(g.Slug, like));
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            q = q.Where(g => g.Tags.Contains(tag));
        }

        return await q.OrderBy(g => g.Name)
            .Select(g => new GameRow(g.Id, g.Slug, g.Name, g.Description, g.Tags, g.Weight, g.Enabled, g.Versions.Max(v => (int?)v.Version)))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tags = await db.Games.AsNoTracking().Select(g => g.Tags).ToListAsync(cancellationToken);
        return [.. tags.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Sets the live weight and/or enabled flag (not part of any version). False when there is no such game.</summary>
    public async Task<bool> SetSettingsAsync(ClaimsPrincipal user, long gameId, GameSettings settings, CancellationToken cancellationToken)
    {
        await RequireAuthorAsync(user, "change a game's weight or pause it");
        if (settings.Weight is { } w && (!double.IsFinite(w) || w < 0))
        {
            throw new RequestValidationException([new("weight", "weight must be a finite number ≥ 0")]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var game = await db.Games.FirstOrDefaultAsync(g => g.Id == gameId, cancellationToken);
        if (game is null)
        {
            return false;
        }

        var changes = new List<string>();
        if (settings.Weight is { } weight && weight != game.Weight)
        {
            changes.Add($"\"weight\":{{\"from\":{game.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"to\":{weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
            game.Weight = weight;
        }

        if (settings.Enabled is { } enabled && enabled != game.Enabled)
        {
            changes.Add($"\"enabled\":{(enabled ? "true" : "false")}");
            game.Enabled = enabled;
        }

        if (changes.Count > 0)
        {
            var now = time.GetUtcNow();
            game.UpdatedAt = now;
            db.AuditLog.Add(new AuditEntry { At = now, Actor = Actor(user), Action = "game.settings", EntityType = "Game", EntityId = game.Id.ToString(), Details = "{" + string.Join(',', changes) + "}" });
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Validates and stores a game file (GameCatalog's versioning rules). Throws GameDefinitionException with every error's JSON path.</summary>
    public async Task<GameSaveResult> SaveAsync(ClaimsPrincipal user, string json, long? gameId, CancellationToken cancellationToken)
    {
        await RequireAuthorAsync(user, "save a game");
        if (json.Length > MaxImportBytes)
        {
            throw new GameDefinitionException(new GameValidationError("$", $"the game file is larger than {MaxImportBytes} bytes"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await new GameCatalog(db, time).SaveAsync(json, gameId, Actor(user), cancellationToken);
    }

    public async Task<IReadOnlyList<GameVersionRow>> VersionsAsync(long gameId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GameVersions.AsNoTracking().Where(v => v.GameId == gameId).OrderBy(v => v.Version)
            .Select(v => new GameVersionRow(v.Id, v.Version, v.Locked, v.CreatedAt, v.CreatedBy)).ToListAsync(cancellationToken);
    }

    /// <summary>A version's JSON as stored (the latest when <paramref name="version"/> is null); null when missing.</summary>
    public async Task<GameExport?> ExportAsync(long gameId, int? version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var v = await db.GameVersions.AsNoTracking().Where(x => x.GameId == gameId && (version == null || x.Version == version))
            .OrderByDescending(x => x.Version).Select(x => new { x.Definition, x.Version, x.Game.Slug }).FirstOrDefaultAsync(cancellationToken);
        if (v is null)
        {
            return null;
        }

        // jsonb does not keep the author's layout; re-serialising gives the same indented file the catalogue hashed.
        var json = GameJson.Serialize(GameJson.Parse(v.Definition));
        return new GameExport($"{v.Slug}-v{v.Version}.json", json);
    }

    /// <summary>Starts a run of one episode of <paramref name="versionId"/> on the default policy: the designer's "Try it".</summary>
    public async Task<long> TryAsync(ClaimsPrincipal user, long versionId, CancellationToken cancellationToken)
    {
        await RequireAuthorAsync(user, "play a game");
        await using var scope = scopes.CreateAsyncScope();
        var launcher = scope.ServiceProvider.GetRequiredService<RunLauncher>();
        var run = await launcher.StartAsync(new StartRunRequest { GameVersionIds = [versionId], Episodes = 1, Concurrency = 1 }, Actor(user), cancellationToken);
        return run.Id;
    }

    public async Task<bool> CanAuthorAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Auth.Policies.Author)).Succeeded;

    private async Task RequireAuthorAsync(ClaimsPrincipal user, string what)
    {
        if (!await CanAuthorAsync(user))
        {
            throw new UnauthorizedAccessException($"Only researchers and admins may {what}.");
        }
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
