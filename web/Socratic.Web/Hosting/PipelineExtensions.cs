// The request pipeline and endpoint map. A worker-only process serves /health and nothing else.
using Hangfire;
using Socratic.Web.Auth;
using Socratic.Web.Campaigns;
using Socratic.Web.Dashboards;
using Socratic.Web.Decisions;
using Socratic.Web.Games;
using Socratic.Web.Health;
using Socratic.Web.Live;
using Socratic.Web.Models;
using Socratic.Web.Play;
using Socratic.Web.Serving;
using Socratic.Web.Training;

namespace Socratic.Web.Hosting;

public static class PipelineExtensions
{
    public static WebApplication UseSocratic(this WebApplication app)
    {
        app.MapHealthEndpoints();
        if (!app.Configuration.GetHostOptions().RunsWeb)
        {
            return app;
        }

        app.UseSecurityHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthEndpoints();
        app.MapGameEndpoints();
        app.MapPlayEndpoints();
        app.MapTrainingEndpoints();
        app.MapPolicyEndpoints();
        app.MapTaskUploadEndpoints();
        app.MapServingEndpoints();
        app.MapCampaignEndpoints();
        app.MapDecisionEndpoints();
        app.MapDashboardEndpoints();
        app.MapHub<PlayHub>(PlayHub.Path);
        app.MapSocraticUi();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], DisplayStorageConnectionString = false })
            .RequireAuthorization(Auth.Policies.Admin);
        return app;
    }
}
