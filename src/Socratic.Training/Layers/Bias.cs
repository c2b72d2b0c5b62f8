// A bias vector added to every row (qwen2's q/k/v projections): y[t, o] += b[o]; db[o] = Σ_t dy[t, o].
using System.Numerics.Tensors;

namespace Socratic.Training.Layers;

public static class Bias
{
    /// <summary>y [T, n] += b [n] per row.</summary>
    public static void Forward(float[] y, float[] b, int t)
    {
        int n = b.Length;
        for (int r = 0; r < t; r++)
        {
            var row = new Span<float>(y, r * n, n);
            TensorPrimitives.Add(row, b, row);
        }
    }

    /// <summary>db [n] += column sums of dy [T, n].</summary>
    public static void Backward(float[] db, float[] dy, int t)
    {
        int n = db.Length;
        for (int r = 0; r < t; r++) TensorPrimitives.Add(db, new ReadOnlySpan<float>(dy, r * n, n), db);
    }
}
