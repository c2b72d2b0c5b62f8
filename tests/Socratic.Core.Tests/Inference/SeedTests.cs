// Reproducibility: a request's sampler and RNG are its own, so its text depends only on its seed.
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class SeedTests(InferenceFixture fixture)
{
    private static SamplingSettings Hot(uint seed) =>
        new() { Temperature = 1.0f, TopK = 0, TopP = 1.0f, MaxTokens = 40, Seed = seed };

    [Fact]
    public async Task Same_seed_gives_the_same_text()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var messages = InferenceFixture.Ask("Once upon a time");

        var first = await policy.GenerateAsync(messages, Hot(1234), null, CancellationToken.None);
        var second = await policy.GenerateAsync(messages, Hot(1234), null, CancellationToken.None);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.CompletionTokens, second.CompletionTokens);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_text_when_decoded_in_a_batch_with_other_requests()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var messages = InferenceFixture.Ask("Once upon a time");
        var alone = await policy.GenerateAsync(messages, Hot(99), null, CancellationToken.None);

        var others = Enumerable.Range(0, 5).Select(i => policy.GenerateAsync(
            InferenceFixture.Ask($"A girl named Lily had {i} cats"), Hot((uint)(500 + i)), null, CancellationToken.None));
        var batched = policy.GenerateAsync(messages, Hot(99), null, CancellationToken.None);
        await Task.WhenAll([.. others, batched]);

        Assert.Equal(alone.Text, (await batched).Text);
    }

    [Fact]
    public async Task Different_seeds_at_positive_temperature_give_different_texts()
    {
        var policy = await fixture.StoriesPolicyAsync();
        var messages = InferenceFixture.Ask("Once upon a time");

        // Fixed seeds keep this deterministic: it cannot flake, only fail if seeding were ignored.
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in new uint[] { 1, 2, 3, 4, 5 })
        {
            texts.Add((await policy.GenerateAsync(messages, Hot(seed), null, CancellationToken.None)).Text);
        }

        Assert.True(texts.Count >= 2, "five seeds at temperature 1 all produced the same text");
    }
}
