// Embeddings for coverage through LLamaSharp on the shared stories260K model: one mean-pooled vector per text of the
// model's width, the same text embeds the same, different texts spread (dispersion > 0), an oversized text is cut to
// the context instead of failing, and a missing model file is a clear error naming it.
using Socratic.Core.Coverage;
using Socratic.Core.Tests.Inference;
using Socratic.Inference.Embeddings;
using Socratic.Core.Policies;

namespace Socratic.Core.Tests.Coverage;

[Collection(InferenceCollection.Name)]
public sealed class LlamaTextEmbedderTests(InferenceFixture inference)
{
    private readonly LlamaTextEmbedder _embedder = new(inference.Provider); // the shared provider's cached weights

    [Fact]
    public async Task Same_text_embeds_the_same_and_different_texts_spread()
    {
        var vectors = await _embedder.EmbedAsync(TestModels.Stories260K,
            ["Once upon a time there was a little cat.", "Once upon a time there was a little cat.", "The big red ball rolled down the hill and Tom ran after it."],
            CancellationToken.None);

        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(64, v.Length)); // stories260K's embedding width
        Assert.Equal(vectors[0], vectors[1]);
        Assert.NotEqual(vectors[0], vectors[2]);
        Assert.Equal(0.0, DiversityMetrics.EmbeddingDispersion([vectors[0], vectors[1]]), 6);
        Assert.True(DiversityMetrics.EmbeddingDispersion(vectors) > 0);
    }

    [Fact]
    public async Task An_oversized_or_empty_text_is_embedded_rather_than_failing()
    {
        var vectors = await _embedder.EmbedAsync(TestModels.Stories260K, [string.Concat(Enumerable.Repeat("Lily saw a dog. ", 400)), ""], CancellationToken.None);

        Assert.All(vectors, v => Assert.True(v.Length == 64 && v.All(float.IsFinite)));
    }

    [Fact]
    public async Task A_missing_model_file_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-model.gguf");

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => _embedder.EmbedAsync(path, ["x"], CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
