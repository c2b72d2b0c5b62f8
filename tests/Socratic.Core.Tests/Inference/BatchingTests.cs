// Continuous batching: concurrent requests share decode calls but never each other's sequence state.
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class BatchingTests(InferenceFixture fixture)
{
    private static readonly string[] Prompts =
    [
        "Once upon a time",
        "Tom had a big red ball",
        "The cat sat in the sun",
        "Lily wanted to fly",
        "A bird sang a song",
        "The old man had a boat",
    ];

    [Fact]
    public async Task Concurrent_greedy_requests_each_equal_their_sequential_result()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var sampling = InferenceFixture.Greedy(40);
        var sequential = new List<GenerationResult>();
        foreach (var prompt in Prompts)
        {
            sequential.Add(await policy.GenerateAsync(InferenceFixture.Ask(prompt), sampling, null, CancellationToken.None));
        }

        var callsBefore = policy.DecodeCalls;
        // Issued back to back, as the engine's episode flows do: the decode loop admits them into one batch.
        var concurrent = await Task.WhenAll(Prompts.Select(p =>
            policy.GenerateAsync(InferenceFixture.Ask(p), sampling, null, CancellationToken.None)));
        var calls = policy.DecodeCalls - callsBefore;

        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(sequential[i].Text, concurrent[i].Text);
            Assert.Equal(sequential[i].FinishReason, concurrent[i].FinishReason);
        }

        // Batched: far fewer native decode calls than tokens generated.
        var tokens = concurrent.Sum(r => r.CompletionTokens);
        Assert.True(calls < tokens / 2, $"{calls} decode calls for {tokens} tokens: requests were not batched");
    }

    [Fact]
    public async Task Requests_from_many_threads_each_equal_their_sequential_result()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var sampling = InferenceFixture.Greedy(24);
        var sequential = new List<string>();
        foreach (var prompt in Prompts)
        {
            sequential.Add((await policy.GenerateAsync(InferenceFixture.Ask(prompt), sampling, null, CancellationToken.None)).Text);
        }

        var concurrent = await Task.WhenAll(Prompts.Select(p =>
            Task.Run(() => policy.GenerateAsync(InferenceFixture.Ask(p), sampling, null, CancellationToken.None))));

        Assert.Equal(sequential, concurrent.Select(r => r.Text));
    }

    [Fact]
    public async Task More_requests_than_sequences_queue_and_all_complete()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var sampling = InferenceFixture.Greedy(12);

        // The fixture allows 8 sequences; 20 requests must wait for free slots and still finish.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            policy.GenerateAsync(InferenceFixture.Ask(Prompts[i % Prompts.Length]), sampling, null, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.CompletionTokens > 0));
        for (var i = Prompts.Length; i < results.Length; i++)
        {
            Assert.Equal(results[i % Prompts.Length].Text, results[i].Text);
        }
    }

    [Fact]
    public async Task Cancelling_one_request_leaves_the_others_running_to_completion()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var sampling = InferenceFixture.Greedy(60);
        var reference = await policy.GenerateAsync(InferenceFixture.Ask(Prompts[1]), sampling, null, CancellationToken.None);

        using var cts = new CancellationTokenSource();
        var victim = policy.GenerateAsync(InferenceFixture.Ask(Prompts[0]), sampling, _ => cts.Cancel(), cts.Token);
        var survivors = Enumerable.Range(0, 3)
            .Select(_ => policy.GenerateAsync(InferenceFixture.Ask(Prompts[1]), sampling, null, CancellationToken.None))
            .ToArray();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => victim);
        Assert.True(victim.IsCanceled);
        foreach (var survivor in survivors)
        {
            Assert.Equal(reference.Text, (await survivor).Text);
        }
    }

    [Fact]
    public async Task A_queued_request_can_be_cancelled_while_all_sequences_are_busy()
    {
        await using var provider = new Socratic.Inference.LlamaPolicyProvider(
            new Socratic.Inference.InferenceOptions { ContextSize = 512, MaxSequences = 1, BatchSize = 512, Threads = 1 });
        var policy = await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();

        // The only sequence slot is held: its first streamed piece parks the decode loop until released.
        var running = policy.GenerateAsync(InferenceFixture.Ask(Prompts[0]), InferenceFixture.Greedy(16), _ =>
        {
            busy.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None);
        await busy.Task;
        using var cts = new CancellationTokenSource();

        var queued = policy.GenerateAsync(InferenceFixture.Ask(Prompts[1]), InferenceFixture.Greedy(), null, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(running.IsCompleted);
        release.Set();
        Assert.Equal(16, (await running).CompletionTokens);
    }

    [Fact]
    public async Task A_request_cancelled_before_it_starts_is_cancelled_without_decoding()
    {
        var policy = await fixture.StoriesPolicyAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var task = policy.GenerateAsync(InferenceFixture.Ask("Hi"), InferenceFixture.Greedy(), null, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }
}
