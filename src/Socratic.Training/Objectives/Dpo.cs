// Direct Preference Optimization (Rafailov et al.):
//   z = β [(log π(c) - log π_ref(c)) - (log π(r) - log π_ref(r))],  L = -log σ(z) = softplus(-z)
// dL/dlog π(c) = -β σ(-z), dL/dlog π(r) = +β σ(-z): the chosen answer's tokens get weight β σ(-z),
// the rejected one's -β σ(-z), in L = -Σ w_t log p_t.
namespace Socratic.Training.Objectives;

public readonly record struct DpoResult(double Loss, double Margin, bool Correct);

public static class Dpo
{
    /// <param name="referenceLogProb">log π_ref of a whole completion (frozen reference policy).</param>
    public static DpoResult Accumulate(Model.LlamaModel policy, Func<TokenizedExample, double> referenceLogProb,
        PreferencePair pair, double beta, double gradScale, Random? dropout)
    {
        double refC = referenceLogProb(pair.Chosen), refR = referenceLogProb(pair.Rejected);
        var (fpC, tC, lpC) = SequenceLogProbs.Forward(policy, pair.Chosen, dropout);
        double logC = lpC.Sum();
        double margin = logC - refC; // partial; rejected added after its pass to keep one cache alive at a time
        var (fpR, tR, lpR) = SequenceLogProbs.Forward(policy, pair.Rejected, dropout);
        margin -= lpR.Sum() - refR;
        double z = beta * margin;
        double loss = Softplus(-z);
        double coef = gradScale * beta * Sigmoid(-z);
        SequenceLogProbs.Backward(policy, fpC, tC, tC.Select(t => t >= 0 ? coef : 0).ToArray());
        SequenceLogProbs.Backward(policy, fpR, tR, tR.Select(t => t >= 0 ? -coef : 0).ToArray());
        return new DpoResult(loss, margin, margin > 0);
    }

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    static double Softplus(double x) => x > 30 ? x : x < -30 ? Math.Exp(x) : Math.Log(1 + Math.Exp(x));
}
