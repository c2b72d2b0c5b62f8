// The DI extension binds the "Inference" section and exposes one provider as IPolicyProvider.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Policies;
using Socratic.Inference;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task Add_socratic_inference_binds_the_inference_section_and_shares_one_provider()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Inference:ContextSize"] = "256",
                ["Inference:MaxSequences"] = "4",
                ["Inference:Threads"] = "1",
            })
            .Build();
        var services = new ServiceCollection().AddSocraticInference(configuration);

        await using var container = services.BuildServiceProvider();
        var provider = container.GetRequiredService<LlamaPolicyProvider>();

        Assert.Same(provider, container.GetRequiredService<IPolicyProvider>());
        Assert.Equal(256, provider.Options.ContextSize);
        Assert.Equal(4, provider.Options.MaxSequences);
        Assert.Equal(1, provider.Options.Threads);
        Assert.Equal(512, provider.Options.BatchSize);
    }

    [Fact]
    public void Invalid_options_fail_at_registration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ServiceCollection().AddSocraticInference(o => o.MaxSequences = 0));
    }
}
