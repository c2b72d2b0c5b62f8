// bunit against the real host's services: components get the real DbContext factory, GameCatalog, RunLauncher
// and authorization policies (from a SocraticApp on a fresh PostgreSQL database) through bunit's fallback
// provider; bunit supplies only the renderer, a fake JS runtime, MudBlazor's services and the signed-in user.
using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Socratic.Core.Data;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Ui;

public sealed class BunitHost : IAsyncDisposable
{
    private BunitHost(SocraticApp app, BunitContext context)
    {
        App = app;
        Context = context;
    }

    public SocraticApp App { get; }

    public BunitContext Context { get; }

    /// <summary>A web-only host (no worker: nothing here plays) and a bunit context signed in as <paramref name="role"/>.</summary>
    public static async Task<BunitHost> StartAsync(PostgresFixture postgres, string database, string role)
    {
        var app = await SocraticApp.StartAsync(postgres, database, new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        // The pages load from PostgreSQL after their first render; two shared cores are slow, so wait generously.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        var auth = context.AddAuthorization();
        auth.SetAuthorized($"{role.ToLowerInvariant()}@test.local");
        auth.SetRoles(role);
        context.Services.AddFallbackServiceProvider(app.Services);
        context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true)); // as a live circuit (after the services: it builds the renderer)
        context.Render<MudPopoverProvider>();
        return new BunitHost(app, context);
    }

    /// <summary>A principal with <paramref name="role"/> for calling services directly, as a page would.</summary>
    public static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role.ToLowerInvariant()}@test.local"), new Claim(ClaimTypes.Role, role)], "test"));

    /// <summary>The input (or textarea) of the MudBlazor field labelled <paramref name="label"/>.</summary>
    public static IElement Field<T>(IRenderedComponent<T> cut, string label, int index = 0)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll(".mud-input-control")
            .Where(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .Select(c => c.QuerySelector("input, textarea"))
            .OfType<IElement>()
            .ElementAt(index);

    /// <summary>Types <paramref name="value"/> the way the field listens: immediate fields on input, others on change.</summary>
    public static void Enter<T>(IRenderedComponent<T> cut, string label, string value)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        // A debounced field of the page may re-render between finding the input and typing: find it again then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var field = Field(cut, label);
                if (field.HasAttribute("blazor:oninput"))
                {
                    field.Input(value);
                }
                else
                {
                    field.Change(value);
                }

                Thread.Sleep(500); // past the field's debounce, so the next lookup sees the settled page
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (attempt < 5)
            {
                Thread.Sleep(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await App.DisposeAsync();
    }
}
