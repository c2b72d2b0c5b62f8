// RMSNorm as llama.cpp computes it: y = x / sqrt(mean(x^2) + eps) * w, per row of length D.
namespace Socratic.Training.Layers;

public static class RmsNorm
{
    /// <summary>x [T,D] → y [T,D]; stores rinv [T] = 1/sqrt(mean(x^2)+eps) for the backward pass.</summary>
    public static void Forward(float[] y, float[] rinv, float[] x, float[] w, int t, int d, float eps)
    {
        for (int r = 0; r < t; r++)
        {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += (double)x[r * d + i] * x[r * d + i];
            float ri = (float)(1.0 / Math.Sqrt(ss / d + eps));
            rinv[r] = ri;
            for (int i = 0; i < d; i++) y[r * d + i] = x[r * d + i] * ri * w[i];
        }
    }

    /// <summary>dx += dL/dx, dw += dL/dw (dw may be null when the norm weight is frozen).
    /// With n = x*r: dn = dy*w, dx = r*dn - r^3/D * x * sum(dn*x).</summary>
    public static void Backward(float[] dx, float[]? dw, float[] dy, float[] x, float[] rinv, float[] w, int t, int d)
    {
        for (int r = 0; r < t; r++)
        {
            float ri = rinv[r];
            double dot = 0;
            for (int i = 0; i < d; i++) dot += (double)dy[r * d + i] * w[i] * x[r * d + i];
            float c = (float)(dot * ri * ri * ri / d);
            for (int i = 0; i < d; i++)
            {
                float xi = x[r * d + i];
                dx[r * d + i] += dy[r * d + i] * w[i] * ri - c * xi;
                if (dw is not null) dw[i] += dy[r * d + i] * xi * ri;
            }
        }
    }
}
