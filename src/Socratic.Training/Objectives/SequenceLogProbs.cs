// Shared plumbing of the objectives: per-target log-probabilities of a sequence, and the backward pass of
// L = -Σ_t w_t log p_t (every objective here is of that form with its own weights w_t).
using Socratic.Training.Layers;
using Socratic.Training.Model;

namespace Socratic.Training.Objectives;

public static class SequenceLogProbs
{
    /// <summary>Per-position log p(target) (0 where there is no target), without keeping activations.</summary>
    public static double[] Compute(LlamaModel model, TokenizedExample ex) =>
        LogSoftmax.TargetLogProbs(model.Forward(ex.Tokens).Logits, ex.Targets(), model.Config.Vocab);

    /// <summary>Sum of target log-probs: log p(completion | prompt).</summary>
    public static double Total(LlamaModel model, TokenizedExample ex) => Compute(model, ex).Sum();

    internal static (ForwardPass Fp, int[] Targets, double[] LogProbs) Forward(LlamaModel model, TokenizedExample ex, Random? dropout)
    {
        if (ex.Tokens.Length > model.Config.ContextLength)
            throw new ArgumentException($"sequence of {ex.Tokens.Length} tokens exceeds the model context of {model.Config.ContextLength}");
        var fp = model.Forward(ex.Tokens, dropout);
        var targets = ex.Targets();
        return (fp, targets, LogSoftmax.TargetLogProbs(fp.Logits, targets, model.Config.Vocab));
    }

    internal static void Backward(LlamaModel model, ForwardPass fp, int[] targets, double[] weights) =>
        model.Backward(fp, LogSoftmax.Backward(fp.Logits, targets, weights, model.Config.Vocab));
}
