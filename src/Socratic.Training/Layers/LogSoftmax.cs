// Log-probabilities of target tokens from logits, and the gradient of a weighted sum of them.
// Every objective (SFT, DPO, GRPO) reduces to  L = -sum_t w_t log p(target_t | prefix),  with per-position
// weights chosen by the objective, so one backward entry point serves them all.
namespace Socratic.Training.Layers;

public static class LogSoftmax
{
    /// <summary>logp[t] = log softmax(logits[t])[targets[t]] for positions with a target (target &lt; 0 → 0).</summary>
    public static double[] TargetLogProbs(float[] logits, int[] targets, int vocab)
    {
        var lp = new double[targets.Length];
        for (int t = 0; t < targets.Length; t++)
        {
            if (targets[t] < 0) continue;
            lp[t] = logits[t * vocab + targets[t]] - LogSumExp(logits, t * vocab, vocab);
        }
        return lp;
    }

    public static double LogSumExp(float[] x, int offset, int n)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < n; i++) max = Math.Max(max, x[offset + i]);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.Exp(x[offset + i] - max);
        return max + Math.Log(s);
    }

    /// <summary>dlogits for L = -sum_t w[t] logp[t]: w[t] * (softmax(logits[t]) - onehot(target[t])).</summary>
    public static float[] Backward(float[] logits, int[] targets, double[] weights, int vocab)
    {
        var d = new float[logits.Length];
        Par.For(targets.Length, vocab * 4L, t =>
        {
            if (targets[t] < 0 || weights[t] == 0) return;
            double lse = LogSumExp(logits, t * vocab, vocab);
            for (int i = 0; i < vocab; i++) d[t * vocab + i] = (float)(weights[t] * Math.Exp(logits[t * vocab + i] - lse));
            d[t * vocab + targets[t]] -= (float)weights[t];
        });
        return d;
    }
}
