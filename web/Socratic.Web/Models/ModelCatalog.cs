// Finds the default model (SOCRATIC_MODEL, else Socratic:Models:Default, else the first *.gguf in the models
// folder) and keeps a Policy row for it, so runs can name it like any trained policy.
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

    public async Task<Policy?> EnsureDefaultPolicyAsync(SocraticDbContext db, CancellationToken cancellationToken) =>
        DefaultModelPath is { } path ? await PolicyRegistry.EnsureBaseModelAsync(db, path, DefaultChatTemplate, time, cancellationToken) : null;
}
