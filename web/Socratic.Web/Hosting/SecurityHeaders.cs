// Security headers on every response. The CSP allows only this origin's scripts (Blazor and MudBlazor ship no
// inline script) and inline styles (MudBlazor sets style attributes); model text is rendered as text, never
// markup, so a transcript cannot inject anything even without the CSP. The Hangfire dashboard (admins only)
// uses inline scripts of its own and keeps its own rules.
namespace Socratic.Web.Hosting;

public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments("/hangfire"))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        await next();
    });
}
