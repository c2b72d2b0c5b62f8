// The Blazor UI (MudBlazor, interactive server rendering) and the cookie sign-out endpoint it posts to.
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using Socratic.Core.Data;
using Socratic.Web.Admin;
using Socratic.Web.Dashboards;
using Socratic.Web.Decisions;
using Socratic.Web.Transcripts;

namespace Socratic.Web.Hosting;

public static class UiExtensions
{
    public static WebApplicationBuilder AddSocraticUi(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetHostOptions().RunsWeb)
        {
            // Serve package assets (MudBlazor, blazor.web.js) from a build in every environment, not only
            // Development; a published app has them in wwwroot and this finds no manifest.
            builder.WebHost.UseStaticWebAssets();
            builder.Services.AddRazorComponents().AddInteractiveServerComponents();
            builder.Services.AddCascadingAuthenticationState();
            builder.Services.AddMudServices();
            builder.Services.AddSingleton<DecisionReviewer>();
            builder.Services.AddSingleton<TranscriptSearch>();
            builder.Services.AddSingleton<DashboardQuery>();
            builder.Services.AddSingleton<UserAdmin>();
        }

        return builder;
    }

    public static void MapSocraticUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        // Our CSP (SecurityHeaders) already forbids framing; Blazor would add a second, weaker frame-ancestors policy.
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        app.MapPost("/account/signout", async (SignInManager<SocraticUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/signin");
        });
    }
}
