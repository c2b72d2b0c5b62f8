// Dot product and axpy that skip TensorPrimitives' call overhead on very short vectors (attention heads of
// the test models are 4–8 wide, where the per-call cost dominates); longer vectors take the SIMD path.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Socratic.Training.Layers;

internal static class Vec
{
    const int Short = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length >= Short) return TensorPrimitives.Dot(a, b);
        float s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>y += alpha * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length >= Short)
        {
            TensorPrimitives.MultiplyAdd(x, alpha, y, y);
            return;
        }
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }
}
