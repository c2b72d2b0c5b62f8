// Group-relative policy optimization (Shao et al., DeepSeekMath), on-policy form:
//   A_i = (r_i - mean(r)) / (std(r) + 1e-4) within each prompt's group of G samples,
//   L = (1/G) Σ_i (1/|o_i|) Σ_t [ -A_i log π(o_it) + β_KL k3_it ],  k3 = e^(ref-lp) - (ref-lp) - 1.
// The samples come from the current policy and each batch is used for one step, so the importance ratio
// is 1 and PPO clipping never binds; it is left out. dk3/dlp = 1 - e^(ref-lp).
namespace Socratic.Training.Objectives;

public readonly record struct GrpoResult(double Loss, double MeanScore, double MeanKl);

public static class Grpo
{
    public static double[] Advantages(IReadOnlyList<double> scores)
    {
        double mean = scores.Average();
        double std = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Count);
        return scores.Select(s => (s - mean) / (std + 1e-4)).ToArray();
    }

    /// <param name="referenceLogProbs">per-position log π_ref (only called when <paramref name="klBeta"/> > 0).</param>
    public static GrpoResult Accumulate(Model.LlamaModel policy, Func<TokenizedExample, double[]>? referenceLogProbs,
        IReadOnlyList<ScoredSample> group, double klBeta, double gradScale, Random? dropout)
    {
        if (group.Count < 2) throw new ArgumentException("a GRPO group needs at least two samples");
        var adv = Advantages(group.Select(s => s.Score).ToList());
        int g = group.Count;
        double loss = 0, klSum = 0;
        for (int i = 0; i < g; i++)
        {
            var ex = group[i].Sample;
            int n = ex.TargetCount;
            if (n == 0) continue; // an empty completion carries no tokens to credit
            bool useKl = klBeta > 0 && referenceLogProbs is not null;
            if (adv[i] == 0 && !useKl) continue;
            var refLp = useKl ? referenceLogProbs!(ex) : null;
            var (fp, targets, lp) = SequenceLogProbs.Forward(policy, ex, dropout);
            var w = new double[targets.Length];
            for (int t = 0; t < targets.Length; t++)
            {
                if (targets[t] < 0) continue;
                double wt = adv[i];
                loss -= adv[i] * lp[t] / n / g;
                if (useKl)
                {
                    double d = refLp![t] - lp[t];
                    double k3 = Math.Exp(d) - d - 1;
                    loss += klBeta * k3 / n / g;
                    klSum += k3 / n / g;
                    wt -= klBeta * (1 - Math.Exp(d));
                }
                w[t] = gradScale * wt / n / g;
            }
            SequenceLogProbs.Backward(policy, fp, targets, w);
        }
        return new GrpoResult(loss, group.Average(s => s.Score), klSum);
    }
}
