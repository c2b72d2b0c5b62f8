// Finds or registers the generation-0 policy of a base model file, so a model named by path (default model,
// `socratic play --model`) gets a Policy row like any trained policy. Safe against concurrent registration.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;

namespace Socratic.Core.Policies;

public static class PolicyRegistry
{
    public static async Task<Policy> EnsureBaseModelAsync(
        SocraticDbContext db, string modelPath, string? chatTemplate, TimeProvider time, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(modelPath);
        var existing = await db.Policies.FirstOrDefaultAsync(p => p.BaseModelPath == path && p.AdapterPath == null && p.Generation == 0, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var name = Path.GetFileNameWithoutExtension(path);
        var policy = new Policy
        {
            Name = await db.Policies.AnyAsync(p => p.Name == name, cancellationToken) ? $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 200)] : name,
            BaseModelPath = path,
            ChatTemplate = chatTemplate,
            CreatedAt = time.GetUtcNow(),
            Notes = "Base model, registered on first use.",
        };
        db.Policies.Add(policy);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return policy;
        }
        catch (DbUpdateException)
        {
            // Another process registered it at the same moment.
            db.ChangeTracker.Clear();
            return await db.Policies.FirstAsync(p => p.BaseModelPath == path && p.AdapterPath == null && p.Generation == 0, cancellationToken);
        }
    }
}
