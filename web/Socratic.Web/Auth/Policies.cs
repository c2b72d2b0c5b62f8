// Authorization policies. Deny by default (the fallback policy requires a signed-in user); each endpoint
// names the least role it needs. Admin ⊃ Researcher ⊃ Observer in what they may do.
using Socratic.Core.Data;

namespace Socratic.Web.Auth;

public static class Policies
{
    /// <summary>Read and watch: observers, researchers, admins.</summary>
    public const string Watch = "watch";

    /// <summary>Author games and start runs: researchers and admins.</summary>
    public const string Author = "author";

    /// <summary>Approve decisions, manage users, Hangfire dashboard.</summary>
    public const string Admin = "admin";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Watch, p => p.RequireRole(Roles.Observer, Roles.Researcher, Roles.Admin));
        options.AddPolicy(Author, p => p.RequireRole(Roles.Researcher, Roles.Admin));
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
