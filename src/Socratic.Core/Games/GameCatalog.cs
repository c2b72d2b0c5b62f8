// Saves game definitions as versions. A version that has not been played is edited in place; once played
// (Locked) an edit creates the next version; an edit that changes nothing creates nothing.
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.Games;

namespace Socratic.Core.Games;

public sealed record GameSaveResult(long GameId, long VersionId, int Version, string Name, string Slug, bool Changed);

public sealed partial class GameCatalog(SocraticDbContext db, TimeProvider time)
{
    /// <summary>Validates and stores <paramref name="json"/>. Throws <see cref="GameDefinitionException"/> when invalid and
    /// <see cref="KeyNotFoundException"/> when <paramref name="gameId"/> names no game.</summary>
    public async Task<GameSaveResult> SaveAsync(string json, long? gameId, string actor, CancellationToken cancellationToken)
    {
        var definition = GameValidator.Load(json);
        var canonical = GameJson.Serialize(definition);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var now = time.GetUtcNow();

        Game? game;
        if (gameId is { } id)
        {
            game = await db.Games.FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
                ?? throw new KeyNotFoundException($"No game with id {id}.");
        }
        else
        {
            var slug = Slugify(definition.Name);
            game = await db.Games.FirstOrDefaultAsync(g => g.Slug == slug, cancellationToken);
            if (game is null)
            {
                game = new Game { Slug = slug, Name = definition.Name, CreatedAt = now, CreatedBy = actor, Weight = definition.Weight };
                db.Games.Add(game);
            }
        }

        var latest = game.Id == 0 ? null : await db.GameVersions.Where(v => v.GameId == game.Id).OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null && latest.DefinitionHash == hash)
        {
            return new GameSaveResult(game.Id, latest.Id, latest.Version, game.Name, game.Slug, Changed: false);
        }

        game.Name = definition.Name;
        game.Description = definition.Description;
        game.Tags = [.. definition.Tags];
        game.UpdatedAt = now;

        GameVersion version;
        if (latest is { Locked: false })
        {
            version = latest;
            version.Definition = canonical;
            version.DefinitionHash = hash;
        }
        else
        {
            version = new GameVersion { Game = game, Version = (latest?.Version ?? 0) + 1, Definition = canonical, DefinitionHash = hash, CreatedAt = now, CreatedBy = actor };
            db.GameVersions.Add(version);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "game.saved", EntityType = "GameVersion", EntityId = version.Id.ToString(),
            Details = $$"""{"gameId":{{game.Id}},"version":{{version.Version}}}""",
        });
        await db.SaveChangesAsync(cancellationToken);
        return new GameSaveResult(game.Id, version.Id, version.Version, game.Name, game.Slug, Changed: true);
    }

    public static string Slugify(string name)
    {
        var slug = NonSlug().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "game" : slug[..Math.Min(slug.Length, 100)];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
