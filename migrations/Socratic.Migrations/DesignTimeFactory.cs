// Lets `dotnet ef migrations add` build the context without a running host. The connection string is only
// used by commands that touch a database (`dotnet ef database update`).
using Microsoft.EntityFrameworkCore.Design;
using Socratic.Core.Data;

namespace Socratic.Migrations;

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SocraticDbContext>
{
    public SocraticDbContext CreateDbContext(string[] args) =>
        new(SocraticDb.Options(Environment.GetEnvironmentVariable("ConnectionStrings__Socratic") ?? SocraticDb.DefaultConnectionString));
}
