// Identity user. Roles (Admin, Researcher, Observer) are Identity roles; see Data/Roles.
using Microsoft.AspNetCore.Identity;

namespace Socratic.Core.Data;

public sealed class SocraticUser : IdentityUser
{
    public string? DisplayName { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Researcher = "Researcher";
    public const string Observer = "Observer";

    public static readonly IReadOnlyList<string> All = [Admin, Researcher, Observer];
}
