// Sampling from the trainer's own model (for GRPO rollouts and quick checks). Each new token re-runs the
// whole prefix: no KV cache, which is fine for the short completions of the test models and keeps one code
// path for training and sampling. Use LLamaSharp for fast inference.
using Socratic.Training.Model;

namespace Socratic.Training;

public static class Generation
{
    /// <summary>Continues <paramref name="prompt"/> by up to <paramref name="maxNewTokens"/>; temperature ≤ 0 is greedy.
    /// Stops after <paramref name="stopToken"/> (not included in the result).</summary>
    public static int[] Sample(LlamaModel model, int[] prompt, int maxNewTokens, float temperature, Random rng, int? stopToken = null)
    {
        var seq = new List<int>(prompt);
        var output = new List<int>();
        int v = model.Config.Vocab;
        for (int i = 0; i < maxNewTokens && seq.Count < model.Config.ContextLength; i++)
        {
            var logits = model.Forward([.. seq]).Logits;
            int off = (seq.Count - 1) * v;
            int next;
            if (temperature <= 0)
            {
                next = 0;
                for (int j = 1; j < v; j++) if (logits[off + j] > logits[off + next]) next = j;
            }
            else
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < v; j++) max = Math.Max(max, logits[off + j]);
                var p = new double[v];
                double sum = 0;
                for (int j = 0; j < v; j++) sum += p[j] = Math.Exp((logits[off + j] - max) / temperature);
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
            seq.Add(next);
        }
        return [.. output];
    }
}
