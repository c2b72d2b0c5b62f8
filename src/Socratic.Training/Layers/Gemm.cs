// Register-blocked matrix kernels behind MatMul (Vector256 + FMA; AVX2 here, NEON on arm64 through the same API).
// Why blocked: a row-by-row Dot or Axpy does one FMA per two loads (or a load and a store) and streams each weight
// row once per token; a tile keeps 12 accumulators in registers and reuses every loaded vector 3–4 times, which is
// what lets the CPU approach its FMA throughput instead of its load throughput.
// Determinism: the tile grid depends only on the shapes, never on the thread count, and each output element is
// summed by one thread in a fixed order — so results are identical for any --threads.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Socratic.Training.Layers;

internal static class Gemm
{
    const int W = 8;          // floats per Vector256
    const int DotRows = 3;    // rows of A per dot-form tile
    const int DotCols = 4;    // rows of B per dot-form tile
    const int DotBlock = 16;  // rows of B per parallel work item (a multiple of DotCols)
    const int AbRows = 4;     // rows of C per AB-form tile
    const int AbPanel = 3 * W; // columns of C per AB-form tile and parallel work item
    const int DotKChunk = 1024; // dot-form reduction length per pass, a multiple of W
    const int KChunk = 256;   // reduction length per pass, a multiple of W: keeps the reused operand in L1

    /// <summary>C[M,N] = A[M,K] · B[N,K]^T: rows of A and of B are contiguous along K (overwrites C).</summary>
    public static void DotForm(float[] c, float[] a, float[] b, int m, int n, int k)
    {
        int blocks = (n + DotBlock - 1) / DotBlock;
        bool tiles = Vector256.IsHardwareAccelerated;
        Par.For(blocks, (long)DotBlock * m * k, blk =>
        {
            int j0 = blk * DotBlock, j1 = Math.Min(n, j0 + DotBlock);
            // K in chunks: the block's B rows (16 x 256 floats) stay in L1 while every row triple of A passes by.
            for (int k0 = 0; k0 < k; k0 += DotKChunk)
            {
                int kl = Math.Min(DotKChunk, k - k0);
                for (int i = 0; i < m; i += DotRows)
                {
                    int rows = Math.Min(DotRows, m - i);
                    int j = j0;
                    if (rows == DotRows && tiles)
                    {
                        for (; j + DotCols <= j1; j += DotCols) Dot3x4(c, a, b, i, j, n, k, k0, kl);
                    }
                    for (int r = i; r < i + rows; r++)
                    {
                        var ar = new ReadOnlySpan<float>(a, r * k + k0, kl);
                        for (int jj = j; jj < j1; jj++)
                        {
                            float d = Vec.Dot(ar, new ReadOnlySpan<float>(b, jj * k + k0, kl));
                            c[r * n + jj] = k0 == 0 ? d : c[r * n + jj] + d;
                        }
                    }
                }
            }
        });
    }

    /// <summary>
    /// C[M,N] += A(m,k) · B[K,N], B row-major (row stride N), A addressed as a[m*aStrideM + k*aStrideK] so that both
    /// dY·W (A = dY as [T,O]) and dYᵀ·X (A = dY read transposed) use the same kernel.
    /// </summary>
    public static void AccumulateAb(float[] c, float[] a, int aStrideM, int aStrideK, float[] b, int m, int n, int k)
    {
        int panels = (n + AbPanel - 1) / AbPanel;
        bool tiles = Vector256.IsHardwareAccelerated;
        Par.For(panels, (long)AbPanel * m * k, p =>
        {
            int n0 = p * AbPanel, width = Math.Min(AbPanel, n - n0);
            // K in chunks: the panel of B (256 rows x 24 floats) stays in L1 while every row group of C passes by.
            for (int k0 = 0; k0 < k; k0 += KChunk)
            {
                int k1 = Math.Min(k, k0 + KChunk);
                for (int i = 0; i < m; i += AbRows)
                {
                    int rows = Math.Min(AbRows, m - i);
                    if (rows == AbRows && width == AbPanel && tiles)
                    {
                        Ab4x24(c, a, aStrideM, aStrideK, b, i, n0, n, k0, k1);
                        continue;
                    }
                    for (int r = i; r < i + rows; r++)
                    {
                        var cr = new Span<float>(c, r * n + n0, width);
                        for (int kk = k0; kk < k1; kk++)
                        {
                            float g = a[r * aStrideM + kk * aStrideK];
                            if (g != 0f) Vec.Axpy(g, new ReadOnlySpan<float>(b, kk * n + n0, width), cr);
                        }
                    }
                }
            }
        });
    }

    /// <summary>C[i..i+3, j..j+4] (+)= A[i..i+3, k0..k0+kl] · B[j..j+4, k0..k0+kl]^T with 12 vector accumulators
    /// (the first chunk writes, later chunks add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot3x4(float[] c, float[] a, float[] b, int i, int j, int n, int k, int k0, int kl)
    {
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        nuint a0 = (nuint)i * (nuint)k, a1 = a0 + (nuint)k, a2 = a1 + (nuint)k;
        nuint b0 = (nuint)j * (nuint)k, b1 = b0 + (nuint)k, b2 = b1 + (nuint)k, b3 = b2 + (nuint)k;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default;
        nuint kv = (nuint)(k0 + kl - kl % W), p = (nuint)k0;
        for (; p < kv; p += W)
        {
            var x0 = Vector256.LoadUnsafe(ref ra, a0 + p);
            var x1 = Vector256.LoadUnsafe(ref ra, a1 + p);
            var x2 = Vector256.LoadUnsafe(ref ra, a2 + p);
            var w = Vector256.LoadUnsafe(ref rb, b0 + p);
            s00 = Vector256.FusedMultiplyAdd(x0, w, s00); s10 = Vector256.FusedMultiplyAdd(x1, w, s10); s20 = Vector256.FusedMultiplyAdd(x2, w, s20);
            w = Vector256.LoadUnsafe(ref rb, b1 + p);
            s01 = Vector256.FusedMultiplyAdd(x0, w, s01); s11 = Vector256.FusedMultiplyAdd(x1, w, s11); s21 = Vector256.FusedMultiplyAdd(x2, w, s21);
            w = Vector256.LoadUnsafe(ref rb, b2 + p);
            s02 = Vector256.FusedMultiplyAdd(x0, w, s02); s12 = Vector256.FusedMultiplyAdd(x1, w, s12); s22 = Vector256.FusedMultiplyAdd(x2, w, s22);
            w = Vector256.LoadUnsafe(ref rb, b3 + p);
            s03 = Vector256.FusedMultiplyAdd(x0, w, s03); s13 = Vector256.FusedMultiplyAdd(x1, w, s13); s23 = Vector256.FusedMultiplyAdd(x2, w, s23);
        }

        Span<float> t = stackalloc float[12];
        t[0] = Vector256.Sum(s00); t[1] = Vector256.Sum(s01); t[2] = Vector256.Sum(s02); t[3] = Vector256.Sum(s03);
        t[4] = Vector256.Sum(s10); t[5] = Vector256.Sum(s11); t[6] = Vector256.Sum(s12); t[7] = Vector256.Sum(s13);
        t[8] = Vector256.Sum(s20); t[9] = Vector256.Sum(s21); t[10] = Vector256.Sum(s22); t[11] = Vector256.Sum(s23);
        for (int q = (int)kv; q < k0 + kl; q++) // the chunk's length % 8 tail, scalar
        {
            for (int r = 0; r < DotRows; r++)
            {
                float x = a[(i + r) * k + q];
                for (int s = 0; s < DotCols; s++) t[r * DotCols + s] += x * b[(j + s) * k + q];
            }
        }

        for (int r = 0; r < DotRows; r++)
        {
            for (int s = 0; s < DotCols; s++)
            {
                ref float o = ref c[(i + r) * n + j + s];
                o = k0 == 0 ? t[r * DotCols + s] : o + t[r * DotCols + s];
            }
        }
    }

    /// <summary>C[i..i+4, n0..n0+24] += A(i..i+4, k0..k1) · B[k0..k1, n0..n0+24] with 12 vector accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Ab4x24(float[] c, float[] a, int aStrideM, int aStrideK, float[] b, int i, int n0, int n, int k0, int k1)
    {
        ref float rc = ref MemoryMarshal.GetArrayDataReference(c);
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        nuint c0 = (nuint)i * (nuint)n + (nuint)n0, c1 = c0 + (nuint)n, c2 = c1 + (nuint)n, c3 = c2 + (nuint)n;
        var s00 = Vector256.LoadUnsafe(ref rc, c0); var s01 = Vector256.LoadUnsafe(ref rc, c0 + W); var s02 = Vector256.LoadUnsafe(ref rc, c0 + 2 * W);
        var s10 = Vector256.LoadUnsafe(ref rc, c1); var s11 = Vector256.LoadUnsafe(ref rc, c1 + W); var s12 = Vector256.LoadUnsafe(ref rc, c1 + 2 * W);
        var s20 = Vector256.LoadUnsafe(ref rc, c2); var s21 = Vector256.LoadUnsafe(ref rc, c2 + W); var s22 = Vector256.LoadUnsafe(ref rc, c2 + 2 * W);
        var s30 = Vector256.LoadUnsafe(ref rc, c3); var s31 = Vector256.LoadUnsafe(ref rc, c3 + W); var s32 = Vector256.LoadUnsafe(ref rc, c3 + 2 * W);
        nuint sm = (nuint)aStrideM, sk = (nuint)aStrideK, am = (nuint)i * sm, bn = (nuint)n0;
        for (nuint kk = (nuint)k0; kk < (nuint)k1; kk++)
        {
            nuint ab = am + kk * sk, bb = kk * (nuint)n + bn;
            var w0 = Vector256.LoadUnsafe(ref rb, bb);
            var w1 = Vector256.LoadUnsafe(ref rb, bb + W);
            var w2 = Vector256.LoadUnsafe(ref rb, bb + 2 * W);
            var g = Vector256.Create(Unsafe.Add(ref ra, ab));
            s00 = Vector256.FusedMultiplyAdd(g, w0, s00); s01 = Vector256.FusedMultiplyAdd(g, w1, s01); s02 = Vector256.FusedMultiplyAdd(g, w2, s02);
            g = Vector256.Create(Unsafe.Add(ref ra, ab + sm));
            s10 = Vector256.FusedMultiplyAdd(g, w0, s10); s11 = Vector256.FusedMultiplyAdd(g, w1, s11); s12 = Vector256.FusedMultiplyAdd(g, w2, s12);
            g = Vector256.Create(Unsafe.Add(ref ra, ab + 2 * sm));
            s20 = Vector256.FusedMultiplyAdd(g, w0, s20); s21 = Vector256.FusedMultiplyAdd(g, w1, s21); s22 = Vector256.FusedMultiplyAdd(g, w2, s22);
            g = Vector256.Create(Unsafe.Add(ref ra, ab + 3 * sm));
            s30 = Vector256.FusedMultiplyAdd(g, w0, s30); s31 = Vector256.FusedMultiplyAdd(g, w1, s31); s32 = Vector256.FusedMultiplyAdd(g, w2, s32);
        }

        s00.StoreUnsafe(ref rc, c0); s01.StoreUnsafe(ref rc, c0 + W); s02.StoreUnsafe(ref rc, c0 + 2 * W);
        s10.StoreUnsafe(ref rc, c1); s11.StoreUnsafe(ref rc, c1 + W); s12.StoreUnsafe(ref rc, c1 + 2 * W);
        s20.StoreUnsafe(ref rc, c2); s21.StoreUnsafe(ref rc, c2 + W); s22.StoreUnsafe(ref rc, c2 + 2 * W);
        s30.StoreUnsafe(ref rc, c3); s31.StoreUnsafe(ref rc, c3 + W); s32.StoreUnsafe(ref rc, c3 + 2 * W);
    }
}
