// Text embeddings from a GGUF through llama.cpp (LLamaSharp's LLamaEmbedder, mean-pooled over the tokens): what the
// coverage step measures a generation's embedding dispersion with, using the model that played it. The weights are
// loaded for the call and released after it (coverage runs once per generation, not per episode), and each text is
// cut to the context so one oversized turn cannot fail the step. Adapters are not applied: dispersion is read in the
// base model's representation space, the same space for every generation of a campaign.
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Socratic.Core.Coverage;

namespace Socratic.Inference.Embeddings;

public sealed class LlamaTextEmbedder(LlamaPolicyProvider models) : ITextEmbedder
{
    public async Task<IReadOnlyList<float[]>> EmbedAsync(string modelPath, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var options = models.Options;
        var weights = await models.GetWeightsAsync(modelPath, cancellationToken); // validated and cached; not ours to dispose
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)options.ContextSize,
            BatchSize = (uint)options.ContextSize,
            UBatchSize = (uint)options.ContextSize,
            Embeddings = true,
            PoolingType = LLamaPoolingType.Mean,
            Threads = options.Threads,
        };
        using var embedder = new LLamaEmbedder(weights, parameters);
        var vectors = new List<float[]>(texts.Count);
        foreach (var text in texts)
        {
            var pooled = await embedder.GetEmbeddings(Fit(weights, text, options.ContextSize - 2), cancellationToken);
            vectors.Add(pooled.Count == 1 ? pooled[0] : Mean(pooled));
        }

        return vectors;
    }

    /// <summary>The text, shortened (by characters, re-tokenizing) until it fits in <paramref name="maxTokens"/>; never empty.</summary>
    private static string Fit(LLamaWeights weights, string text, int maxTokens)
    {
        var fitted = string.IsNullOrWhiteSpace(text) ? "." : text;
        for (int count; (count = weights.Tokenize(fitted, true, false, Encoding.UTF8).Length) > maxTokens;)
        {
            fitted = fitted[..Math.Max(1, (int)((long)fitted.Length * maxTokens / count) - 1)];
        }

        return fitted;
    }

    /// <summary>Mean of per-token vectors, for a model whose pooling yields one vector per token.</summary>
    private static float[] Mean(IReadOnlyList<float[]> perToken)
    {
        var mean = new float[perToken[0].Length];
        foreach (var v in perToken)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(mean, v, mean);
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(mean, perToken.Count, mean);
        return mean;
    }
}
