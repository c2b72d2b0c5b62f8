// y = W x for a batch of rows, and its two backward products. W is [n_out rows][n_in] (GGUF ne = [n_in, n_out]).
// Each output element is written by exactly one thread and every sum runs in a fixed order, so results are
// deterministic and independent of scheduling. Batches go through Gemm's register-blocked tiles; a single row
// (decoding) stays a row of dot products, which is already the best order for a matrix-vector product.
namespace Socratic.Training.Layers;

public static class MatMul
{
    /// <summary>Y[T,O] = X[T,I] · W[O,I]^T (overwrites Y).</summary>
    public static void Forward(float[] y, float[] x, float[] w, int t, int nIn, int nOut)
    {
        if (t >= 3)
        {
            Gemm.DotForm(y, x, w, t, nOut, nIn);
            return;
        }

        Par.For(nOut, (long)t * nIn, o =>
        {
            var wr = new ReadOnlySpan<float>(w, o * nIn, nIn);
            for (int r = 0; r < t; r++) y[r * nOut + o] = Vec.Dot(wr, new ReadOnlySpan<float>(x, r * nIn, nIn));
        });
    }

    /// <summary>dX[T,I] += dY[T,O] · W[O,I].</summary>
    public static void BackwardInput(float[] dx, float[] dy, float[] w, int t, int nIn, int nOut)
    {
        if (t >= 4)
        {
            Gemm.AccumulateAb(dx, dy, aStrideM: nOut, aStrideK: 1, w, t, nIn, nOut);
            return;
        }

        Par.For(t, (long)nIn * nOut, r =>
        {
            var dxr = new Span<float>(dx, r * nIn, nIn);
            for (int o = 0; o < nOut; o++)
            {
                float g = dy[r * nOut + o];
                if (g != 0f) Vec.Axpy(g, new ReadOnlySpan<float>(w, o * nIn, nIn), dxr);
            }
        });
    }

    /// <summary>dW[O,I] += dY[T,O]^T · X[T,I].</summary>
    public static void BackwardWeight(float[] dw, float[] dy, float[] x, int t, int nIn, int nOut)
    {
        if (nOut >= 4)
        {
            Gemm.AccumulateAb(dw, dy, aStrideM: 1, aStrideK: nOut, x, nOut, nIn, t);
            return;
        }

        Par.For(nOut, (long)t * nIn, o =>
        {
            var dwr = new Span<float>(dw, o * nIn, nIn);
            for (int r = 0; r < t; r++)
            {
                float g = dy[r * nOut + o];
                if (g != 0f) Vec.Axpy(g, new ReadOnlySpan<float>(x, r * nIn, nIn), dwr);
            }
        });
    }
}
