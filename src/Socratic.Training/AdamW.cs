// AdamW (Loshchilov & Hutter): Adam moments with bias correction, weight decay decoupled from the gradient.
// State is one (m, v) pair per trainable Param, keyed by name so checkpoints can restore it.
using Socratic.Training.Model;

namespace Socratic.Training;

public sealed class AdamW
{
    public Dictionary<string, (float[] M, float[] V)> State { get; } = new(StringComparer.Ordinal);
    /// <summary>Optimizer steps taken (t in the bias correction).</summary>
    public int Steps { get; set; }

    /// <summary>Global L2 norm of all gradients (double accumulation).</summary>
    public static double GradNorm(IEnumerable<Param> ps)
    {
        double s = 0;
        foreach (var p in ps)
            foreach (var g in p.Grad!) s += (double)g * g;
        return Math.Sqrt(s);
    }

    /// <summary>Clips gradients to <paramref name="maxNorm"/> (0 = off), then updates every Param in place.
    /// Returns the pre-clip gradient norm.</summary>
    public double Step(IReadOnlyList<Param> ps, float lr, TrainerConfig c)
    {
        double norm = GradNorm(ps);
        float clip = c.GradClip > 0 && norm > c.GradClip ? (float)(c.GradClip / norm) : 1f;
        Steps++;
        float bc1 = 1f - MathF.Pow(c.Beta1, Steps), bc2 = 1f - MathF.Pow(c.Beta2, Steps);
        foreach (var p in ps)
        {
            if (!State.TryGetValue(p.Name, out var s)) State[p.Name] = s = (new float[p.Data.Length], new float[p.Data.Length]);
            var (w, g) = (p.Data, p.Grad!);
            // Decay matrices only: scaling norm gains toward 0 would fight the normalisation they implement.
            float decay = p.Ne.Length >= 2 ? lr * c.WeightDecay : 0f;
            for (int i = 0; i < w.Length; i++)
            {
                float gi = g[i] * clip;
                s.M[i] = c.Beta1 * s.M[i] + (1 - c.Beta1) * gi;
                s.V[i] = c.Beta2 * s.V[i] + (1 - c.Beta2) * gi * gi;
                float mHat = s.M[i] / bc1, vHat = s.V[i] / bc2;
                w[i] -= lr * mHat / (MathF.Sqrt(vHat) + c.AdamEps) + decay * w[i];
            }
        }
        return norm;
    }
}
