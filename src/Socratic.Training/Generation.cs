// Sampling from the trainer's own model (for GRPO rollouts and quick checks), through the KV-cached
// Decoder. Single-threaded per token apart from the output projection; use LLamaSharp for fast serving.
using Socratic.Training.Model;

namespace Socratic.Training;

public static class Generation
{
    /// <summary>Continues <paramref name="prompt"/> by up to <paramref name="maxNewTokens"/>; temperature ≤ 0 is greedy.
    /// Stops after <paramref name="stopToken"/> (not included in the result).</summary>
    public static int[] Sample(LlamaModel model, int[] prompt, int maxNewTokens, float temperature, Random rng, int? stopToken = null)
    {
        if (prompt.Length == 0) throw new ArgumentException("empty prompt (pass at least BOS)");
        var output = new List<int>();
        int v = model.Config.Vocab;
        var dec = model.StartDecoding(prompt.Length + maxNewTokens);
        float[] logits = [];
        foreach (var t in prompt) logits = dec.Next(t);
        for (int i = 0; i < maxNewTokens && dec.Position < model.Config.ContextLength; i++)
        {
            int next;
            if (temperature <= 0)
            {
                next = 0;
                for (int j = 1; j < v; j++) if (logits[j] > logits[next]) next = j;
            }
            else
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < v; j++) max = Math.Max(max, logits[j]);
                var p = new double[v];
                double sum = 0;
                for (int j = 0; j < v; j++) sum += p[j] = Math.Exp((logits[j] - max) / temperature);
                double u = rng.NextDouble() * sum;
                next = v - 1;
                for (int j = 0; j < v; j++)
                {
                    u -= p[j];
                    if (u <= 0) { next = j; break; }
                }
            }
            if (next == stopToken) break;
            output.Add(next);
            if (i + 1 < maxNewTokens && dec.Position < model.Config.ContextLength) logits = dec.Next(next);
        }
        return [.. output];
    }
}
