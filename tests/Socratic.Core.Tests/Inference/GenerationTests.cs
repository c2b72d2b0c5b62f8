// Single-request behaviour of the LLamaSharp runtime on a real (tiny, trained) model.
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class GenerationTests(InferenceFixture fixture)
{
    [Fact]
    public async Task Generates_text_with_chatml_and_streamed_pieces_concatenate_to_the_result()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var pieces = new List<string>();

        var result = await policy.GenerateAsync(
            InferenceFixture.Ask("Once upon a time"), InferenceFixture.Greedy(48), pieces.Add, CancellationToken.None);

        Assert.False(string.IsNullOrWhiteSpace(result.Text));
        Assert.True(pieces.Count > 1, "text should arrive in several pieces");
        Assert.Equal(result.Text, string.Concat(pieces));
        Assert.True(result.PromptTokens > 0);
        Assert.InRange(result.CompletionTokens, 1, 48);
        Assert.True(result.TimeToFirstToken <= result.Elapsed);
    }

    [Fact]
    public async Task Max_tokens_ends_with_length_and_exactly_that_many_completion_tokens()
    {
        var policy = await fixture.StoriesPolicyAsync();

        var result = await policy.GenerateAsync(
            InferenceFixture.Ask("Once upon a time"), InferenceFixture.Greedy(7), null, CancellationToken.None);

        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(7, result.CompletionTokens);
    }

    [Fact]
    public async Task Stop_string_cuts_the_text_before_it_and_finishes_with_stop()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var messages = InferenceFixture.Ask("Once upon a time");
        var free = await policy.GenerateAsync(messages, InferenceFixture.Greedy(64), null, CancellationToken.None);
        Assert.True(free.Text.Length > 20, $"need a longer reference text, got '{free.Text}'");

        // A stop string taken from the middle of the greedy text: several characters, so it likely spans tokens.
        var stop = free.Text.Substring(free.Text.Length / 2, 4);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];
        var pieces = new List<string>();

        var stopped = await policy.GenerateAsync(
            messages, InferenceFixture.Greedy(64) with { Stop = [stop] }, pieces.Add, CancellationToken.None);

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.Equal(expected, string.Concat(pieces));
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_longer_than_the_context_throws_and_the_runtime_serves_the_next_request()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var longPrompt = string.Join(' ', Enumerable.Repeat("The little dog ran to the park.", 200));

        var error = await Assert.ThrowsAsync<PromptTooLongException>(() =>
            policy.GenerateAsync(InferenceFixture.Ask(longPrompt), InferenceFixture.Greedy(), null, CancellationToken.None));
        Assert.Equal(512, error.ContextSize);
        Assert.True(error.PromptTokens > 512);

        var next = await policy.GenerateAsync(
            InferenceFixture.Ask("Once upon a time"), InferenceFixture.Greedy(8), null, CancellationToken.None);
        Assert.Equal(8, next.CompletionTokens);
    }

    [Fact]
    public async Task Generation_filling_the_sequence_context_finishes_with_context_full()
    {
        await using var provider = new Socratic.Inference.LlamaPolicyProvider(
            new Socratic.Inference.InferenceOptions { ContextSize = 48, MaxSequences = 2, BatchSize = 64, Threads = 1 });
        var policy = (Socratic.Inference.LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var messages = InferenceFixture.Ask("Once upon a time");
        var promptTokens = policy.CountTokens(policy.FormatPrompt(messages));

        var result = await policy.GenerateAsync(messages, InferenceFixture.Greedy(200), null, CancellationToken.None);

        // Greedy decoding of this prompt runs far past 48 tokens (it is deterministic), so the sequence fills up:
        // the prompt occupies its cells, then every sampled token but the last is decoded into the cache.
        Assert.Equal(FinishReason.ContextFull, result.FinishReason);
        Assert.Equal(48 - promptTokens + 1, result.CompletionTokens);
    }

    [Fact]
    public async Task F32_kv_cache_and_flash_attention_variants_generate()
    {
        foreach (var options in new[]
        {
            new Socratic.Inference.InferenceOptions { ContextSize = 128, MaxSequences = 2, BatchSize = 128, Threads = 1, KvCacheF32 = true },
            new Socratic.Inference.InferenceOptions { ContextSize = 128, MaxSequences = 2, BatchSize = 128, Threads = 1, FlashAttention = true },
        })
        {
            await using var provider = new Socratic.Inference.LlamaPolicyProvider(options);
            var policy = await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);

            var result = await policy.GenerateAsync(InferenceFixture.Ask("Once upon a time"), InferenceFixture.Greedy(8), null, CancellationToken.None);

            Assert.Equal(8, result.CompletionTokens);
        }
    }
}
