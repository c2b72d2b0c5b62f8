// DI registration of the in-process runtime: one LlamaPolicyProvider per container (it owns loaded models and
// decode threads, and the container disposes it), exposed as IPolicyProvider for the engine.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Socratic.Core.Policies;
using Socratic.Inference.Remote;

namespace Socratic.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LlamaPolicyProvider"/> (and <see cref="IPolicyProvider"/>) with options bound from the
    /// configuration section "Inference" (see <see cref="InferenceOptions"/>).
    /// </summary>
    public static IServiceCollection AddSocraticInference(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddSocraticInference(options => configuration.GetSection(InferenceOptions.SectionName).Bind(options));
    }

    /// <summary>Registers <see cref="LlamaPolicyProvider"/> (and <see cref="IPolicyProvider"/>) with options set in code.</summary>
    public static IServiceCollection AddSocraticInference(this IServiceCollection services, Action<InferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new InferenceOptions();
        configure?.Invoke(options);
        options.Validate(); // fail at startup, not at the first episode

        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new LlamaPolicyProvider(
            sp.GetRequiredService<InferenceOptions>(), sp.GetService<ILogger<LlamaPolicyProvider>>()));
        services.TryAddSingleton<IPolicyProvider>(sp => sp.GetRequiredService<LlamaPolicyProvider>());
        services.TryAddSingleton<Socratic.Core.Coverage.ITextEmbedder>(sp => new Embeddings.LlamaTextEmbedder(sp.GetRequiredService<LlamaPolicyProvider>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="RemotePolicyProvider"/> as <see cref="IPolicyProvider"/>: policies are played by an
    /// OpenAI-compatible server (options from the section "Inference:Remote", see <see cref="RemotePolicyOptions"/>).
    /// </summary>
    public static IServiceCollection AddSocraticRemoteInference(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(RemotePolicyOptions.SectionName).Get<RemotePolicyOptions>() ?? new RemotePolicyOptions();
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton<IPolicyProvider>(sp => new RemotePolicyProvider(sp.GetRequiredService<RemotePolicyOptions>()));
        return services;
    }
}
