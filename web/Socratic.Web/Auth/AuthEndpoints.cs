// Sign-in for API clients and the browser: POST /api/auth/login returns a bearer token (or sets the cookie
// with ?useCookies=true). No registration endpoint: users are created by admins.
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Socratic.Core.Data;

namespace Socratic.Web.Auth;

public sealed record LoginRequest(string Email, string Password);

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/login", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (
            LoginRequest login, bool? useCookies, SignInManager<SocraticUser> signIn) =>
        {
            signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
            var result = await signIn.PasswordSignInAsync(login.Email, login.Password, isPersistent: useCookies == true, lockoutOnFailure: true);
            return result.Succeeded
                ? TypedResults.Empty
                : TypedResults.Problem(result.IsLockedOut ? "Locked out; try later." : "Wrong email or password.", statusCode: StatusCodes.Status401Unauthorized);
        }).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimiter);

        auth.MapPost("/logout", async (SignInManager<SocraticUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.NoContent();
        });

        auth.MapGet("/me", (HttpContext ctx) => Results.Ok(new
        {
            name = ctx.User.Identity?.Name,
            roles = Roles.All.Where(ctx.User.IsInRole).ToArray(),
        }));
    }
}
