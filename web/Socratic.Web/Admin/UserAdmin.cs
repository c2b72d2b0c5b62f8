// Users and roles, as an admin manages them: list, create with a generated password (returned once, never
// stored in clear), give exactly one role, disable and enable (an Identity lockout that never ends, so no
// schema change and sign-in refuses it at once). Admin is checked here, not only in the UI; an admin cannot
// disable or demote themselves, so the last admin cannot lock everyone out. Every change is an audit row.
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Web.Api;

namespace Socratic.Web.Admin;

public sealed record UserRow(string Id, string Email, string? DisplayName, string Role, bool Disabled);

public sealed class UserAdmin(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SocraticDbContext>();
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new
        {
            u.Id, u.Email, u.DisplayName, Disabled = u.LockoutEnd != null && u.LockoutEnd > now,
            Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
        }).ToListAsync(cancellationToken);
        return users.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, Strongest(u.Roles), u.Disabled)).ToList();
    }

    /// <summary>Creates a user with one role; returns the generated password, to be shown once.</summary>
    public async Task<string> CreateAsync(string email, string role, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        Demand(actor);
        email = email.Trim();
        var errors = new List<FieldError>();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            errors.Add(new("email", $"'{email}' is not an email address"));
        }

        if (!Roles.All.Contains(role))
        {
            errors.Add(new("role", $"unknown role '{role}'; known: {string.Join(", ", Roles.All)}"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SocraticUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new RequestValidationException([new("email", $"a user {email} exists")]);
        }

        var password = GeneratePassword();
        var user = new SocraticUser { UserName = email, Email = email, EmailConfirmed = true };
        Check(await users.CreateAsync(user, password), "email");
        Check(await users.AddToRoleAsync(user, role), "role");
        await AuditAsync(scope, actor, "user.created", user.Id, new { email, role }, cancellationToken);
        return password;
    }

    public async Task SetRoleAsync(string userId, string role, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        Demand(actor);
        if (!Roles.All.Contains(role))
        {
            throw new RequestValidationException([new("role", $"unknown role '{role}'; known: {string.Join(", ", Roles.All)}")]);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SocraticUser>>();
        var user = await FindAsync(users, userId);
        if (IsSelf(user, actor) && role != Roles.Admin)
        {
            throw new RequestValidationException([new("role", "you cannot take the admin role from yourself; ask another admin")]);
        }

        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current), "role");
        // Roles are cumulative in what they allow (Admin ⊃ Researcher ⊃ Observer) but policies list each, so one is enough.
        Check(await users.AddToRoleAsync(user, role), "role");
        await AuditAsync(scope, actor, "user.role", user.Id, new { email = user.Email, from = current, to = role }, cancellationToken);
    }

    public async Task SetDisabledAsync(string userId, bool disabled, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        Demand(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SocraticUser>>();
        var user = await FindAsync(users, userId);
        if (disabled && IsSelf(user, actor))
        {
            throw new RequestValidationException([new("user", "you cannot disable your own account")]);
        }

        Check(await users.SetLockoutEnabledAsync(user, true), "user");
        Check(await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null), "user");
        // A new security stamp ends the user's existing cookies at their next validation.
        Check(await users.UpdateSecurityStampAsync(user), "user");
        await AuditAsync(scope, actor, disabled ? "user.disabled" : "user.enabled", user.Id, new { email = user.Email }, cancellationToken);
    }

    internal static string Strongest(IEnumerable<string?> roles)
    {
        var set = roles.ToHashSet();
        return Roles.All.FirstOrDefault(set.Contains) ?? "(none)";
    }

    private static void Demand(ClaimsPrincipal actor)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            throw new UnauthorizedAccessException("Only admins manage users.");
        }
    }

    private static bool IsSelf(SocraticUser user, ClaimsPrincipal actor) =>
        string.Equals(user.UserName, actor.Identity?.Name, StringComparison.OrdinalIgnoreCase);

    private static async Task<SocraticUser> FindAsync(UserManager<SocraticUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new RequestValidationException([new("user", $"no user {userId}")]);

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new RequestValidationException(result.Errors.Select(e => new FieldError(field, e.Description)).ToList());
        }
    }

    private async Task AuditAsync(AsyncServiceScope scope, ClaimsPrincipal actor, string action, string userId, object details, CancellationToken cancellationToken)
    {
        var db = scope.ServiceProvider.GetRequiredService<SocraticDbContext>();
        db.AuditLog.Add(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = actor.Identity?.Name ?? "unknown", Action = action, EntityType = "User", EntityId = userId,
            Details = JsonSerializer.Serialize(details),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    // 18 random bytes in URL-safe base64 plus a fixed tail that satisfies Identity's digit/lower/upper/symbol rules.
    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', 'x').Replace('+', 'y') + "-7aQ";
}
