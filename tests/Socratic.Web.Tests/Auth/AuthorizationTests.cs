// Deny by default: every API endpoint and the hub need a signed-in user with the right role; /health is open.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Socratic.Core.Data;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Auth;

[Collection(PostgresCollection.Name)]
public sealed class AuthorizationTests(PostgresFixture postgres) : IAsyncLifetime
{
    private SocraticApp _app = null!;

    public async Task InitializeAsync() => _app = await SocraticApp.StartAsync(postgres, "authorization", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, string?, HttpStatusCode> Matrix => new()
    {
        { "GET", "/health", null, HttpStatusCode.OK },
        { "GET", "/api/games", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/games", Roles.Observer, HttpStatusCode.OK },
        { "POST", "/api/games", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/api/games", Roles.Researcher, HttpStatusCode.Created },
        { "GET", "/api/runs", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/runs", Roles.Observer, HttpStatusCode.OK },
        { "POST", "/api/runs", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/runs", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/api/runs/1/cancel", Roles.Observer, HttpStatusCode.Forbidden },
        { "GET", "/api/episodes", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/episodes", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/api/episodes/1", Roles.Observer, HttpStatusCode.NotFound },
        { "GET", "/api/policies", Roles.Observer, HttpStatusCode.OK },
        { "POST", "/api/policies", Roles.Observer, HttpStatusCode.Forbidden },
        { "GET", "/api/auth/me", null, HttpStatusCode.Unauthorized },
        { "GET", "/hangfire", null, HttpStatusCode.Redirect },
        { "GET", "/hangfire", Roles.Researcher, HttpStatusCode.Redirect },
        { "GET", "/hangfire", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/arena", null, HttpStatusCode.Redirect },
        { "GET", "/signin", null, HttpStatusCode.OK },
        { "GET", "/games", null, HttpStatusCode.Redirect },
        { "GET", "/games", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/games", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/games", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/games/new", null, HttpStatusCode.Redirect },
        { "GET", "/games/new", Roles.Observer, HttpStatusCode.Redirect },
        { "GET", "/games/new", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/games/new", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/games/999999/edit", null, HttpStatusCode.Redirect },
        { "GET", "/games/999999/edit", Roles.Observer, HttpStatusCode.Redirect },
        { "GET", "/games/999999/edit", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/games/999999/edit", Roles.Admin, HttpStatusCode.OK },
        { "PUT", "/api/games/999999/settings", null, HttpStatusCode.Unauthorized },
        { "PUT", "/api/games/999999/settings", Roles.Observer, HttpStatusCode.Forbidden },
        { "PUT", "/api/games/999999/settings", Roles.Researcher, HttpStatusCode.NotFound },
        { "PUT", "/api/games/999999/settings", Roles.Admin, HttpStatusCode.NotFound },
        { "GET", "/api/games/999999/export", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/games/999999/export", Roles.Observer, HttpStatusCode.NotFound },
        { "GET", "/api/games/999999/export", Roles.Researcher, HttpStatusCode.NotFound },
        { "GET", "/api/games/999999/export", Roles.Admin, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_answers_each_role_as_the_policy_says(string method, string path, string? role, HttpStatusCode expected)
    {
        // Pages redirect (to /signin or /denied) where the API answers 401/403: do not follow redirects.
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await _app.TokenAsync(role));
        }

        var body = path == "/api/games" ? TestGames.Story($"Auth {Guid.NewGuid():N}") : "{}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? new StringContent(body, Encoding.UTF8, "application/json") : null,
        };

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy()
    {
        var client = await _app.ClientAsync(null);

        var response = await client.GetAsync("/signin");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_refuses_anonymous_connections()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.Server.BaseAddress, "/hubs/play"), o =>
            {
                o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Watching_an_episode_that_does_not_exist_is_refused()
    {
        await using var hub = await _app.HubAsync(Roles.Observer);

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("WatchEpisode", 424242L));
        Assert.Contains("424242", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_sign_in_is_rate_limited()
    {
        var client = await _app.ClientAsync(null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@test.local", password = "wrong-password" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
