// The decision approval component (bunit) over the real reviewer and PostgreSQL: admins approve, or reject with a
// comment; the verdict, who and when, and an audit row are stored; others see no controls and, should they call
// the reviewer anyway, are refused on the server.
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Api;
using Socratic.Web.Auth;
using Socratic.Web.Components.Decisions;
using Socratic.Web.Decisions;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Decisions;

[Collection(PostgresCollection.Name)]
public sealed class DecisionReviewTests(PostgresFixture postgres) : IAsyncLifetime, IDisposable
{
    private readonly BunitContext _ui = new();
    private string _cs = "";

    public async Task InitializeAsync()
    {
        _cs = await TestData.MigratedDatabaseAsync(postgres, "decision_review");
        _ui.JSInterop.Mode = JSRuntimeMode.Loose;
        _ui.Services.AddMudServices();
        _ui.Services.AddDbContextFactory<SocraticDbContext>(o => SocraticDb.Configure(o, _cs));
        _ui.Services.AddSingleton(TimeProvider.System);
        // Real Hangfire storage: approving a proposal may resume a waiting campaign generation.
        _ui.Services.AddSingleton<Hangfire.IBackgroundJobClient>(_ => new Hangfire.BackgroundJobClient(
            new Hangfire.PostgreSql.PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(_cs, new Hangfire.PostgreSql.PostgreSqlStorageOptions()), new Hangfire.PostgreSql.PostgreSqlStorageOptions())));
        _ui.Services.AddSingleton<DecisionReviewer>();
        _ui.Services.AddSingleton<UiRateLimits>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _ui.Dispose();

    private SocraticDbContext Db() => new(SocraticDb.Options(_cs));

    private IRenderedComponent<DecisionReview> RenderAs(string? role, long decisionId, Action<long>? decided = null)
    {
        var auth = _ui.AddAuthorization();
        if (role is not null)
        {
            auth.SetAuthorized($"{role.ToLowerInvariant()}@test.local");
            auth.SetRoles(role);
        }

        return _ui.Render<DecisionReview>(p => p.Add(x => x.DecisionId, decisionId).Add(x => x.Decided, id => decided?.Invoke(id)));
    }

    [Fact]
    public async Task Admin_approves_and_the_verdict_who_when_and_an_audit_row_are_stored()
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Game A is being exploited");
        long? raised = null;
        var cut = RenderAs(Roles.Admin, decision.Id, id => raised = id);

        await cut.Find(".decision-comment textarea").InputAsync(new ChangeEventArgs { Value = "looks right" });
        await cut.Find(".decision-approve").ClickAsync(new());

        await using var check = Db();
        var stored = await check.Decisions.SingleAsync(d => d.Id == decision.Id);
        var audit = await check.AuditLog.SingleAsync(a => a.EntityType == "Decision" && a.Action == "decision.approved");
        // Approving applies the proposal at once: the stored status is Applied, with who approved it and why.
        Assert.Equal((DecisionStatus.Applied, "admin@test.local", "looks right"), (stored.Status, stored.DecidedBy, stored.DecisionComment));
        Assert.True(await check.AuditLog.AnyAsync(a => a.EntityType == "Decision" && a.Action == "decision.applied"));
        Assert.NotNull(stored.DecidedAt);
        Assert.Equal(("decision.approved", "admin@test.local", decision.Id.ToString()), (audit.Action, audit.Actor, audit.EntityId));
        Assert.Contains("looks right", audit.Details, StringComparison.Ordinal);
        Assert.Equal(decision.Id, raised);
    }

    [Fact]
    public async Task Rejecting_without_a_comment_is_refused_with_the_reason_and_nothing_is_stored()
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Promote g3");
        var cut = RenderAs(Roles.Admin, decision.Id);

        await cut.Find(".decision-reject").ClickAsync(new());

        Assert.Contains("comment", cut.Find(".decision-error").TextContent, StringComparison.Ordinal);
        await using var check = Db();
        Assert.Equal(DecisionStatus.Proposed, (await check.Decisions.SingleAsync(d => d.Id == decision.Id)).Status);
        Assert.False(await check.AuditLog.AnyAsync());
    }

    [Fact]
    public async Task Admin_rejects_with_a_comment()
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Pause game B", kind: DecisionKind.PauseGame);
        var cut = RenderAs(Roles.Admin, decision.Id);

        await cut.Find(".decision-comment textarea").InputAsync(new ChangeEventArgs { Value = "the drop is noise, n=12" });
        await cut.Find(".decision-reject").ClickAsync(new());

        await using var check = Db();
        var stored = await check.Decisions.SingleAsync(d => d.Id == decision.Id);
        Assert.Equal((DecisionStatus.Rejected, "the drop is noise, n=12"), (stored.Status, stored.DecisionComment));
        Assert.Equal("decision.rejected", (await check.AuditLog.SingleAsync()).Action);
    }

    [Theory]
    [InlineData(Roles.Observer)]
    [InlineData(Roles.Researcher)]
    [InlineData(null)]
    public async Task Only_admins_see_the_approve_and_reject_controls(string? role)
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Reweight");

        var cut = RenderAs(role, decision.Id);

        Assert.Empty(cut.FindAll(".decision-approve"));
        Assert.Empty(cut.FindAll(".decision-reject"));
        Assert.Contains("Awaiting an admin", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reviewer_refuses_a_non_admin_even_without_the_page()
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Rollback");
        var reviewer = _ui.Services.GetRequiredService<DecisionReviewer>();
        var researcher = new ClaimsPrincipal(new ClaimsIdentity([new(ClaimTypes.Name, "r@test.local"), new(ClaimTypes.Role, Roles.Researcher)], "test"));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => reviewer.DecideAsync(decision.Id, true, "yes", researcher, default));

        await using var check = Db();
        Assert.Equal(DecisionStatus.Proposed, (await check.Decisions.SingleAsync(d => d.Id == decision.Id)).Status);
    }

    [Fact]
    public async Task A_decided_proposal_cannot_be_decided_again()
    {
        await using var db = Db();
        var decision = await TestData.DecisionAsync(db, "Raise diversity", kind: DecisionKind.RaiseDiversity);
        var reviewer = _ui.Services.GetRequiredService<DecisionReviewer>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new(ClaimTypes.Name, "a@test.local"), new(ClaimTypes.Role, Roles.Admin)], "test"));
        await reviewer.DecideAsync(decision.Id, true, null, admin, default);

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => reviewer.DecideAsync(decision.Id, false, "changed my mind", admin, default));

        Assert.Contains("already Applied", error.Message, StringComparison.Ordinal);
        await using var check = Db();
        Assert.Equal(["decision.applied", "decision.approved"], await check.AuditLog.Select(a => a.Action).OrderBy(a => a).ToListAsync());
    }
}
