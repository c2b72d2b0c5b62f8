// Shutting the runtime down must settle every caller's task instead of leaving episodes hanging.
using Socratic.Core.Policies;
using Socratic.Inference;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class DisposalTests
{
    [Fact]
    public async Task Disposing_the_provider_fails_in_flight_and_queued_requests_and_refuses_new_ones()
    {
        var provider = new LlamaPolicyProvider(new InferenceOptions { ContextSize = 512, MaxSequences = 2, BatchSize = 512, Threads = 1 });
        var policy = await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sampling = new SamplingSettings { Temperature = 0, MaxTokens = 400 };

        // Two requests occupy both sequences, two more wait in the queue.
        var tasks = Enumerable.Range(0, 4)
            .Select(i => policy.GenerateAsync(InferenceFixture.Ask($"Story {i}"), sampling, _ => started.TrySetResult(), CancellationToken.None))
            .ToArray();
        await started.Task;
        await provider.DisposeAsync();

        foreach (var task in tasks)
        {
            // Each either finished before the shutdown or was failed by it; none may hang.
            var settled = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.Same(task, settled);
            Assert.True(task.IsCompletedSuccessfully || task.Exception?.InnerException is ObjectDisposedException);
        }

        Assert.Contains(tasks, t => t.IsFaulted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.GetAsync(InferenceFixture.Stories, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            policy.GenerateAsync(InferenceFixture.Ask("late"), sampling, null, CancellationToken.None));
    }
}
