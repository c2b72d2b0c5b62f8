// The real host (Program) on a fresh PostgreSQL database, with the shared stories260K model as the default.
// Signs users in through the API, so tests exercise the same bearer-token path as any client.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Tests;

namespace Socratic.Web.Tests.Infrastructure;

public sealed class SocraticApp(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string Password = "Test-password-1";

    public string ConnectionString { get; } = connectionString;

    public static async Task<SocraticApp> StartAsync(PostgresFixture postgres, string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new SocraticApp(await postgres.CreateDatabaseAsync(database), settings);
        _ = app.Server; // start now: migrations and seeding run here, not inside the first request
        return app;
    }

    /// <summary>Starts the host on a real loopback port (Kestrel), for a browser; returns its base address.</summary>
    public static async Task<(SocraticApp App, Uri Address)> StartOnPortAsync(
        PostgresFixture postgres, string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new SocraticApp(await postgres.CreateDatabaseAsync(database), settings);
        app.UseKestrel(0);
        app.StartServer();
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return (app, new Uri(addresses.First()));
    }

    /// <summary>The settings every test host gets; workers started as processes get the same.</summary>
    public static Dictionary<string, string?> BaseSettings(string connectionString) => new()
    {
        ["ConnectionStrings:Socratic"] = connectionString,
        ["SOCRATIC_MODEL"] = TestModels.Stories260K,
        ["Socratic:Demo:Enabled"] = "false",
        ["Socratic:Admin:Email"] = AdminEmail,
        ["Socratic:Admin:Password"] = Password,
        ["Socratic:Hangfire:InvisibilityTimeout"] = "00:00:05",
        ["Socratic:Hangfire:QueuePollInterval"] = "00:00:00.200",
        ["Socratic:Live:CoalesceMilliseconds"] = "10",
        ["Inference:Threads"] = "2",
        ["Inference:MaxSequences"] = "8",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in BaseSettings(ConnectionString))
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public SocraticDbContext Db() => new(SocraticDb.Options(ConnectionString));

    /// <summary>
    /// Each test database has its own Npgsql pool whose idle connections outlive the host by minutes;
    /// across a hundred test hosts they exhaust the server's max_connections, so the pools go with the host.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();

        // Hangfire's log provider is process-wide and was pointed at this host's (now disposed) logger factory;
        // anything that builds a Hangfire client after this host (a bunit test, the next host's startup) must not use it.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentHangfireLog());
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates (once) a user with <paramref name="role"/> and returns a client signed in as them; null role = anonymous.</summary>
    public async Task<HttpClient> ClientAsync(string? role)
    {
        var client = CreateClient();
        if (role is null)
        {
            return client;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
        return client;
    }

    public async Task<string> TokenAsync(string role)
    {
        var email = role == Roles.Admin ? AdminEmail : $"{role.ToLowerInvariant()}@test.local";
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SocraticUser>>();
            if (await users.FindByEmailAsync(email) is null)
            {
                var user = new SocraticUser { UserName = email, Email = email, EmailConfirmed = true };
                Assert.True((await users.CreateAsync(user, Password)).Succeeded);
                Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            }
        }

        using var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    public async Task<HubConnection> HubAsync(string role)
    {
        var token = await TokenAsync(role);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "/hubs/play"), o =>
            {
                o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Polls the run until it reaches a final status or the timeout passes.</summary>
    public async Task<Core.Play.Run> WaitForRunAsync(long runId, TimeSpan timeout, params Core.Play.RunStatus[] statuses)
    {
        var final = statuses.Length > 0 ? statuses : [Core.Play.RunStatus.Completed, Core.Play.RunStatus.Failed, Core.Play.RunStatus.Cancelled];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Db();
            var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId);
            if (final.Contains(run.Status))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} is still {run.Status} after {timeout}.");
            }

            await Task.Delay(200);
        }
    }
}

/// <summary>Hangfire logging between test hosts: nothing is written, nothing disposed is touched.</summary>
internal sealed class SilentHangfireLog : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
{
    public Hangfire.Logging.ILog GetLogger(string name) => this;

    public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
}
