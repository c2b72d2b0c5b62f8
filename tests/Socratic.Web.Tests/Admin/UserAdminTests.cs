// User management as the Admin page does it, against the real host's Identity on PostgreSQL: a created user signs
// in with the password shown once, a disabled one cannot, roles change, an admin cannot demote or disable
// themselves, and a non-admin is refused by the service itself.
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Web.Admin;
using Socratic.Web.Api;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Admin;

[Collection(PostgresCollection.Name)]
public sealed class UserAdminTests(PostgresFixture postgres)
{
    private static ClaimsPrincipal As(string email, string role) =>
        new(new ClaimsIdentity([new(ClaimTypes.Name, email), new(ClaimTypes.Role, role)], "test"));

    [Fact]
    public async Task Created_user_signs_in_with_the_shown_password_until_disabled_and_changes_are_audited()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "user_admin", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        var admin = As(SocraticApp.AdminEmail, Roles.Admin);
        var users = app.Services.GetRequiredService<UserAdmin>();
        var client = app.CreateClient();

        var password = await users.CreateAsync(" new@test.local ", Roles.Observer, admin, default);
        var row = (await users.ListAsync(default)).Single(u => u.Email == "new@test.local");
        var signIn1 = await client.PostAsJsonAsync("/api/auth/login", new { email = "new@test.local", password });
        await users.SetRoleAsync(row.Id, Roles.Researcher, admin, default);
        await users.SetDisabledAsync(row.Id, true, admin, default);
        var signIn2 = await client.PostAsJsonAsync("/api/auth/login", new { email = "new@test.local", password });

        Assert.Equal(HttpStatusCode.OK, signIn1.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn2.StatusCode);
        var after = (await users.ListAsync(default)).Single(u => u.Email == "new@test.local");
        Assert.Equal((Roles.Researcher, true), (after.Role, after.Disabled));
        await using var db = app.Db();
        Assert.Equal(["user.created", "user.role", "user.disabled"], await db.AuditLog.Where(a => a.EntityType == "User").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Admin_cannot_demote_or_disable_themselves_and_others_cannot_manage_users()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "user_admin_guard", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        var admin = As(SocraticApp.AdminEmail, Roles.Admin);
        var users = app.Services.GetRequiredService<UserAdmin>();
        var self = (await users.ListAsync(default)).Single(u => u.Email == SocraticApp.AdminEmail);

        var demote = await Assert.ThrowsAsync<RequestValidationException>(() => users.SetRoleAsync(self.Id, Roles.Observer, admin, default));
        var disable = await Assert.ThrowsAsync<RequestValidationException>(() => users.SetDisabledAsync(self.Id, true, admin, default));
        var badEmail = await Assert.ThrowsAsync<RequestValidationException>(() => users.CreateAsync("not-an-email", Roles.Observer, admin, default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => users.CreateAsync("x@test.local", Roles.Admin, As("r@test.local", Roles.Researcher), default));

        Assert.Equal("role", Assert.Single(demote.Errors).Field);
        Assert.Equal("user", Assert.Single(disable.Errors).Field);
        Assert.Equal("email", Assert.Single(badEmail.Errors).Field);
        var unchanged = (await users.ListAsync(default)).Single(u => u.Id == self.Id);
        Assert.Equal((Roles.Admin, false), (unchanged.Role, unchanged.Disabled));
    }
}
