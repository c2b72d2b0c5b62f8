// One runtime shared by the inference tests (models load once), and the collection that keeps those tests
// sequential: they are CPU-bound on a 2-core machine and some compare decode-call counts. Test runtimes use one
// decode thread: llama.cpp's threads spin at barriers, and on a busy 2-core machine two of them slowed tests ~10×.
using Socratic.Core.Policies;
using Socratic.Inference;

namespace Socratic.Core.Tests.Inference;

public sealed class InferenceFixture : IAsyncLifetime
{
    public LlamaPolicyProvider Provider { get; } = new(new InferenceOptions { ContextSize = 512, MaxSequences = 8, Threads = 1 });

    public static PolicySpec Stories => new(TestModels.Stories260K) { ChatTemplate = "chatml" };

    public async Task<LlamaPolicy> StoriesPolicyAsync() =>
        (LlamaPolicy)await Provider.GetAsync(Stories, CancellationToken.None);

    public static IReadOnlyList<ChatMessage> Ask(string text) => [new ChatMessage(ChatRole.User, text)];

    public static SamplingSettings Greedy(int maxTokens = 32) => new() { Temperature = 0, MaxTokens = maxTokens };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class InferenceCollection : ICollectionFixture<InferenceFixture>
{
    public const string Name = "Inference";
}
