// Supervised fine-tuning: mean cross-entropy over the masked-in (assistant) tokens of one example.
namespace Socratic.Training.Objectives;

public static class Sft
{
    /// <summary>Forward + backward of one example; gradients are scaled by <paramref name="gradScale"/>
    /// (1 / examples per optimizer step). Returns the unscaled mean loss in nats per target token.</summary>
    public static double Accumulate(Model.LlamaModel model, TokenizedExample ex, double gradScale, Random? dropout)
    {
        int n = ex.TargetCount;
        if (n == 0) throw new ArgumentException("example has no target tokens (empty loss mask)");
        var (fp, targets, lp) = SequenceLogProbs.Forward(model, ex, dropout);
        var w = new double[targets.Length];
        double loss = 0;
        for (int t = 0; t < targets.Length; t++)
            if (targets[t] >= 0)
            {
                w[t] = gradScale / n;
                loss -= lp[t] / n;
            }
        SequenceLogProbs.Backward(model, fp, targets, w);
        return loss;
    }

    /// <summary>Mean loss without gradients (evaluation).</summary>
    public static double Loss(Model.LlamaModel model, TokenizedExample ex) =>
        -SequenceLogProbs.Total(model, ex) / Math.Max(1, ex.TargetCount);
}
