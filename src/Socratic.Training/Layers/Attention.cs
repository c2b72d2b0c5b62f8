// Causal multi-head attention with grouped KV heads (GQA): query head h reads kv head h / (Heads/KvHeads).
// Scores are scaled by 1/sqrt(headDim) as in llama.cpp. Probabilities [H,T,T] are kept for the backward pass:
// at the sequence lengths this trainer targets they are small, and recomputing them would cost a second
// QK^T per layer.
namespace Socratic.Training.Layers;

public static class Attention
{
    /// <summary>q [T,H*hd], k/v [T,KvH*hd] → out [T,H*hd], probs [H,T,T] (upper triangle zero).</summary>
    public static void Forward(float[] output, float[] probs, float[] q, float[] k, float[] v, int t, int heads, int kvHeads, int hd)
    {
        int group = heads / kvHeads;
        int qw = heads * hd, kw = kvHeads * hd;
        float scale = 1f / MathF.Sqrt(hd);
        Par.For(heads, (long)t * t * hd, h =>
        {
            int kh = h / group;
            var row = new float[t];
            for (int i = 0; i < t; i++)
            {
                var qi = new ReadOnlySpan<float>(q, i * qw + h * hd, hd);
                float max = float.NegativeInfinity;
                for (int j = 0; j <= i; j++)
                {
                    row[j] = scale * Vec.Dot(qi, new ReadOnlySpan<float>(k, j * kw + kh * hd, hd));
                    if (row[j] > max) max = row[j];
                }
                double sum = 0;
                for (int j = 0; j <= i; j++)
                {
                    row[j] = MathF.Exp(row[j] - max);
                    sum += row[j];
                }
                var p = new Span<float>(probs, (h * t + i) * t, t);
                p.Clear();
                var oi = new Span<float>(output, i * qw + h * hd, hd);
                oi.Clear();
                for (int j = 0; j <= i; j++)
                {
                    p[j] = (float)(row[j] / sum);
                    Vec.Axpy(p[j], new ReadOnlySpan<float>(v, j * kw + kh * hd, hd), oi);
                }
            }
        });
    }

    /// <summary>Given dOut, accumulates dq, dk, dv. Parallel over kv heads so that each thread owns the
    /// dk/dv slices it writes (the query heads of a group run in sequence).</summary>
    public static void Backward(float[] dq, float[] dk, float[] dv, float[] dOut, float[] probs, float[] q, float[] k, float[] v,
        int t, int heads, int kvHeads, int hd)
    {
        int group = heads / kvHeads;
        int qw = heads * hd, kw = kvHeads * hd;
        float scale = 1f / MathF.Sqrt(hd);
        Par.For(kvHeads, (long)group * t * t * hd * 2, kh =>
        {
            var dp = new float[t];
            for (int h = kh * group; h < (kh + 1) * group; h++)
                for (int i = 0; i < t; i++)
                {
                    var p = new ReadOnlySpan<float>(probs, (h * t + i) * t, t);
                    var doi = new ReadOnlySpan<float>(dOut, i * qw + h * hd, hd);
                    // out_i = sum_j p_ij v_j  →  dp_ij = dout_i·v_j, dv_j += p_ij dout_i
                    double pdp = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        dp[j] = Vec.Dot(doi, new ReadOnlySpan<float>(v, j * kw + kh * hd, hd));
                        pdp += (double)p[j] * dp[j];
                        var dvj = new Span<float>(dv, j * kw + kh * hd, hd);
                        Vec.Axpy(p[j], doi, dvj);
                    }
                    // softmax backward: ds_ij = p_ij (dp_ij - sum_j p dp); s_ij = scale q_i·k_j
                    var qi = new ReadOnlySpan<float>(q, i * qw + h * hd, hd);
                    var dqi = new Span<float>(dq, i * qw + h * hd, hd);
                    for (int j = 0; j <= i; j++)
                    {
                        float ds = scale * p[j] * (float)(dp[j] - pdp);
                        if (ds == 0f) continue;
                        Vec.Axpy(ds, new ReadOnlySpan<float>(k, j * kw + kh * hd, hd), dqi);
                        var dkj = new Span<float>(dk, j * kw + kh * hd, hd);
                        Vec.Axpy(ds, qi, dkj);
                    }
                }
        });
    }
}
