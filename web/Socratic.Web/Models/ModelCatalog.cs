// Finds the default model (SOCRATIC_MODEL, else Socratic:Models:Default, else the first *.gguf in the models
// folder) and keeps a Policy row for it, so runs can name it like any trained policy.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Socratic.Core.Data;
using Socratic.Core.Policies;
using Socratic.Web.Hosting;

namespace Socratic.Web.Models;

public sealed class ModelCatalog(IOptions<ModelsOptions> options, IConfiguration configuration, TimeProvider time)
{
    public string? DefaultModelPath
    {
        get
        {
            var explicitPath = configuration["SOCRATIC_MODEL"] ?? options.Value.Default;
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                return Path.GetFullPath(explicitPath);
            }

            var dir = Path.GetFullPath(options.Value.Directory);
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, "*.gguf").Order(StringComparer.Ordinal).FirstOrDefault()
                : null;
        }
    }

    public string DefaultChatTemplate => options.Value.ChatTemplate;

    public async Task<Policy?> EnsureDefaultPolicyAsync(SocraticDbContext db, CancellationToken cancellationToken)
    {
        if (DefaultModelPath is not { } path)
        {
            return null;
        }

        var existing = await db.Policies.FirstOrDefaultAsync(p => p.BaseModelPath == path && p.AdapterPath == null && p.Generation == 0, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var name = Path.GetFileNameWithoutExtension(path);
        var policy = new Policy
        {
            Name = await db.Policies.AnyAsync(p => p.Name == name, cancellationToken) ? $"{name}-{Guid.NewGuid():N}"[..40] : name,
            BaseModelPath = path,
            ChatTemplate = DefaultChatTemplate,
            CreatedAt = time.GetUtcNow(),
            Notes = "Default model, registered at start.",
        };
        db.Policies.Add(policy);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process registered it at the same moment.
            db.ChangeTracker.Clear();
            return await db.Policies.FirstAsync(p => p.BaseModelPath == path && p.AdapterPath == null && p.Generation == 0, cancellationToken);
        }

        return policy;
    }
}
