// LoRA adapters: llama.cpp applies an adapter to a whole context, so each (model, adapter, scale) gets its own
// context and decode loop while all of them share the one loaded model.
using Socratic.Core.Policies;
using Socratic.Inference;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class LoraTests : IDisposable
{
    private readonly string tempDir = Directory.CreateTempSubdirectory("socratic-lora-").FullName;

    [Fact]
    public async Task Adapter_changes_the_text_in_its_own_context_sharing_the_base_model()
    {
        var adapter = Path.Combine(tempDir, "output-lora.gguf");
        TestLoraWriter.WriteStoriesOutputAdapter(adapter);
        await using var provider = new LlamaPolicyProvider(new InferenceOptions { ContextSize = 256, MaxSequences = 4, BatchSize = 256, Threads = 1 });
        var basePolicy = await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var tuned = await provider.GetAsync(InferenceFixture.Stories with { AdapterPath = adapter }, CancellationToken.None);
        var muted = await provider.GetAsync(InferenceFixture.Stories with { AdapterPath = adapter, AdapterScale = 0f }, CancellationToken.None);
        var messages = InferenceFixture.Ask("Once upon a time");
        var sampling = InferenceFixture.Greedy(24);

        var results = await Task.WhenAll(
            basePolicy.GenerateAsync(messages, sampling, null, CancellationToken.None),
            tuned.GenerateAsync(messages, sampling, null, CancellationToken.None),
            muted.GenerateAsync(messages, sampling, null, CancellationToken.None));

        Assert.NotEqual(results[0].Text, results[1].Text);
        Assert.Equal(results[0].Text, results[2].Text); // scale 0 is the base model
        Assert.Equal(1, provider.ModelLoadCount);
        Assert.Equal(3, provider.ContextCount);
    }

    [Fact]
    public async Task Non_gguf_adapter_fails_with_model_load_exception_naming_it()
    {
        var adapter = Path.Combine(tempDir, "bad-lora.gguf");
        await File.WriteAllTextAsync(adapter, "not an adapter");
        await using var provider = new LlamaPolicyProvider(new InferenceOptions { ContextSize = 256, MaxSequences = 2, BatchSize = 256, Threads = 1 });

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            provider.GetAsync(InferenceFixture.Stories with { AdapterPath = adapter }, CancellationToken.None));

        Assert.Contains(adapter, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(tempDir, recursive: true);
}
