// HTTP API for policies: list them (with lineage fields) and register a model file (optionally with an
// adapter) as a policy that runs can name.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Policies;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Models;

public sealed record RegisterPolicyRequest(string Name, string BaseModelPath, string? AdapterPath = null, string? ChatTemplate = null);

public static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/policies").AddEndpointFilter<ValidationExceptionFilter>();
        policies.MapGet("/", async (SocraticDbContext db, CancellationToken ct) =>
            await db.Policies.AsNoTracking().OrderBy(p => p.Id).Select(p => new
            {
                p.Id, p.Name, p.BaseModelPath, p.AdapterPath, p.ChatTemplate, p.Generation, p.ParentPolicyId, p.DatasetId, p.TrainingRunId,
                Status = p.Status.ToString(), p.CreatedAt,
            }).ToListAsync(ct)).RequireAuthorization(Policies.Watch);

        policies.MapPost("/", async (HttpRequest request, SocraticDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<RegisterPolicyRequest>(request, ct);
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(body.Name))
            {
                errors.Add(new("name", "is required"));
            }
            else if (await db.Policies.AnyAsync(p => p.Name == body.Name, ct))
            {
                errors.Add(new("name", $"a policy named '{body.Name}' exists"));
            }

            if (string.IsNullOrWhiteSpace(body.BaseModelPath) || !File.Exists(body.BaseModelPath))
            {
                errors.Add(new("baseModelPath", $"no file at '{body.BaseModelPath}' on the server"));
            }

            if (body.AdapterPath is not null && !File.Exists(body.AdapterPath))
            {
                errors.Add(new("adapterPath", $"no file at '{body.AdapterPath}' on the server"));
            }

            if (errors.Count > 0)
            {
                return ApiErrors.BadRequest(errors);
            }

            var policy = new Policy
            {
                Name = body.Name, BaseModelPath = Path.GetFullPath(body.BaseModelPath), AdapterPath = body.AdapterPath is null ? null : Path.GetFullPath(body.AdapterPath),
                ChatTemplate = body.ChatTemplate, CreatedAt = time.GetUtcNow(),
            };
            db.Policies.Add(policy);
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/policies/{policy.Id}", new { policy.Id, policy.Name });
        }).RequireAuthorization(Policies.Author);
    }
}
