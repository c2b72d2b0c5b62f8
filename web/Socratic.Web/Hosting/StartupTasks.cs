// Runs once at start, before the Hangfire server and Kestrel: migrates the database, makes sure the roles and the
// first admin exist, registers the default model as a policy and, in a fresh database, starts the demo run.
// Several processes may start at once against one database; each step is idempotent.
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Web.Games;
using Socratic.Web.Models;
using Socratic.Web.Play;

namespace Socratic.Web.Hosting;

public sealed class StartupTasks(
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<HostOptions> host,
    IOptions<DemoOptions> demo,
    IOptions<AdminOptions> admin,
    ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (host.Value.MigrateOnStart)
        {
            await SocraticDb.MigrateAsync(configuration.GetSocraticConnectionString(), cancellationToken);
            logger.LogInformation("Database is up to date.");
        }

        if (!host.Value.RunsWeb)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        await EnsureRolesAndAdminAsync(scope.ServiceProvider);
        if (demo.Value.Enabled)
        {
            await StartDemoAsync(scope.ServiceProvider, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureRolesAndAdminAsync(IServiceProvider sp)
    {
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var users = sp.GetRequiredService<UserManager<SocraticUser>>();
        var email = admin.Value.Email;
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var password = string.IsNullOrEmpty(admin.Value.Password) ? GeneratePassword() : admin.Value.Password;
        var user = new SocraticUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Cannot create the first admin '{email}': {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRolesAsync(user, Roles.All);
        if (string.IsNullOrEmpty(admin.Value.Password))
        {
            // Printed once, on the console of the first start only; set Socratic__Admin__Password to choose it instead.
            logger.LogWarning("Created admin {Email} with generated password: {Password}", email, password);
        }
    }

    private async Task StartDemoAsync(IServiceProvider sp, CancellationToken cancellationToken)
    {
        var catalog = sp.GetRequiredService<GameCatalog>();
        var models = sp.GetRequiredService<ModelCatalog>();
        var db = sp.GetRequiredService<SocraticDbContext>();
        var path = Path.GetFullPath(demo.Value.Game);
        if (!File.Exists(path))
        {
            logger.LogWarning("Demo game {Path} not found; no demo run.", path);
            return;
        }

        var policy = await models.EnsureDefaultPolicyAsync(db, cancellationToken);
        if (policy is null)
        {
            logger.LogWarning("No default model: set SOCRATIC_MODEL or put a .gguf in the models folder. No demo run.");
            return;
        }

        var version = await catalog.SaveAsync(await File.ReadAllTextAsync(path, cancellationToken), null, "system", cancellationToken);
        if (await db.Runs.AnyAsync(cancellationToken))
        {
            return;
        }

        var launcher = sp.GetRequiredService<RunLauncher>();
        var run = await launcher.StartAsync(
            new StartRunRequest { GameVersionIds = [version.VersionId], PolicyId = policy.Id, Episodes = demo.Value.Episodes, Concurrency = demo.Value.Concurrency, Seed = 1 },
            "system",
            cancellationToken);
        logger.LogInformation("Demo run {RunId} started: {Episodes} episodes of {Game} on {Model}.", run.Id, run.EpisodeCount, version.Name, policy.BaseModelPath);
    }

    private static string GeneratePassword() =>
        "Sx-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', 'x').Replace('+', 'y') + "9a";
}
