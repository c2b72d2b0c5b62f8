// SwiGLU gate of the llama FFN: a = silu(g) * u, silu(g) = g * sigmoid(g).
namespace Socratic.Training.Layers;

public static class SwiGlu
{
    public static void Forward(float[] a, float[] g, float[] u)
    {
        for (int i = 0; i < a.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-g[i]));
            a[i] = g[i] * s * u[i];
        }
    }

    /// <summary>dg += da*u*silu'(g), du += da*silu(g), with silu'(g) = s(1 + g(1-s)).</summary>
    public static void Backward(float[] dg, float[] du, float[] da, float[] g, float[] u)
    {
        for (int i = 0; i < da.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-g[i]));
            du[i] += da[i] * g[i] * s;
            dg[i] += da[i] * u[i] * s * (1f + g[i] * (1f - s));
        }
    }
}
