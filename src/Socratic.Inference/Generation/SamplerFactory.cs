// Builds one native sampler chain per request from SamplingSettings. Each chain owns its RNG (seeded from the
// request), so a request's tokens depend only on its own logits and seed, never on what else shares the batch.
using LLama.Native;
using Socratic.Core.Policies;

namespace Socratic.Inference.Generation;

internal static class SamplerFactory
{
    public static SafeLLamaSamplerChainHandle Create(SamplingSettings sampling, uint seed, int repeatPenaltyWindow)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            // Penalties first: they adjust raw logits, before any truncation or temperature.
            if (Math.Abs(sampling.RepeatPenalty - 1.0f) > 1e-6f)
            {
                chain.AddPenalties(repeatPenaltyWindow, sampling.RepeatPenalty, 0f, 0f);
            }

            if (sampling.Temperature <= 0f)
            {
                chain.AddGreedySampler();
                return chain;
            }

            if (sampling.TopK > 0)
            {
                chain.AddTopK(sampling.TopK);
            }

            if (sampling.TopP is > 0f and < 1f)
            {
                chain.AddTopP(sampling.TopP, 1);
            }

            chain.AddTemperature(sampling.Temperature);
            chain.AddDistributionSampler(seed);
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
