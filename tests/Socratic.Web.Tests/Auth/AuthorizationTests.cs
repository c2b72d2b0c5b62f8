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
        { "GET", "/api/games/1/judge-length", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/games/424242/judge-length", Roles.Observer, HttpStatusCode.NotFound },
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
        { "POST", "/v1/chat/completions", null, HttpStatusCode.Unauthorized },
        { "POST", "/v1/chat/completions", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/v1/chat/completions", Roles.Researcher, HttpStatusCode.BadRequest },
        { "GET", "/v1/models", Roles.Observer, HttpStatusCode.Forbidden },
        { "GET", "/v1/models", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/campaigns", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/campaigns", Roles.Observer, HttpStatusCode.OK },
        { "POST", "/api/campaigns", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/api/campaigns", Roles.Researcher, HttpStatusCode.BadRequest },

        // Pages and endpoints of the Runs, Transcripts, Policies, Decisions and Admin UI, for every role.
        { "GET", "/runs", null, HttpStatusCode.Redirect },
        { "GET", "/runs", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/runs", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/runs", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/transcripts", null, HttpStatusCode.Redirect },
        { "GET", "/transcripts", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/transcripts", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/transcripts", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/transcripts/1", null, HttpStatusCode.Redirect },
        { "GET", "/transcripts/1", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/transcripts/1", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/transcripts/1", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/policies", null, HttpStatusCode.Redirect },
        { "GET", "/policies", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/policies", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/policies", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/decisions", null, HttpStatusCode.Redirect },
        { "GET", "/decisions", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/decisions", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/decisions", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/admin", null, HttpStatusCode.Redirect },
        { "GET", "/admin", Roles.Observer, HttpStatusCode.Redirect },
        { "GET", "/admin", Roles.Researcher, HttpStatusCode.Redirect },
        { "GET", "/admin", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/decisions", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/decisions", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/api/decisions", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/api/decisions", Roles.Admin, HttpStatusCode.OK },
        { "POST", "/api/decisions/1/approve", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/decisions/1/approve", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/api/decisions/1/approve", Roles.Researcher, HttpStatusCode.Forbidden },
        { "POST", "/api/decisions/1/approve", Roles.Admin, HttpStatusCode.NotFound },
        { "POST", "/api/decisions/1/reject", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/decisions/1/reject", Roles.Observer, HttpStatusCode.Forbidden },
        { "POST", "/api/decisions/1/reject", Roles.Researcher, HttpStatusCode.Forbidden },
        { "POST", "/api/decisions/1/reject", Roles.Admin, HttpStatusCode.BadRequest },

        // Games library and designer.
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

        // Dashboards and datasets: observers read, downloads included.
        { "GET", "/dashboards", null, HttpStatusCode.Redirect },
        { "GET", "/dashboards", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/dashboards", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/dashboards", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/datasets", null, HttpStatusCode.Redirect },
        { "GET", "/datasets", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/datasets", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/datasets", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/dashboards", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/dashboards", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/api/dashboards", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/api/dashboards", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/dashboards/csv", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/dashboards/csv", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/api/dashboards/csv", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/api/dashboards/csv", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/datasets", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/datasets", Roles.Observer, HttpStatusCode.OK },
        { "GET", "/api/datasets", Roles.Researcher, HttpStatusCode.OK },
        { "GET", "/api/datasets", Roles.Admin, HttpStatusCode.OK },
        { "GET", "/api/datasets/999999/download", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/datasets/999999/download", Roles.Observer, HttpStatusCode.NotFound },
        { "GET", "/api/datasets/999999/download", Roles.Researcher, HttpStatusCode.NotFound },
        { "GET", "/api/datasets/999999/download", Roles.Admin, HttpStatusCode.NotFound },
        { "GET", "/api/datasets/999999/card", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/datasets/999999/card", Roles.Observer, HttpStatusCode.NotFound },
        { "GET", "/api/datasets/999999/card", Roles.Researcher, HttpStatusCode.NotFound },
        { "GET", "/api/datasets/999999/card", Roles.Admin, HttpStatusCode.NotFound },
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

    [Theory]
    [InlineData("/admin", null, "/signin")]
    [InlineData("/admin", Roles.Observer, "/denied")]
    [InlineData("/admin", Roles.Researcher, "/denied")]
    [InlineData("/decisions", null, "/signin")]
    public async Task Refused_pages_redirect_to_sign_in_or_denied(string path, string? role, string target)
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await _app.TokenAsync(role));
        }

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(target, response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
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
