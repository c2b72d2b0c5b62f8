// Low-rank adapters on linear weights, in llama.cpp's adapter layout:
//   <base>.lora_a  ne [n_in, r]   (r rows of n_in)      u = A x
//   <base>.lora_b  ne [r, n_out]  (n_out rows of r)     y += (alpha / r) * B u
// so a trained adapter can be written to GGUF and applied by llama.cpp unchanged.
using Socratic.Training.Layers;

namespace Socratic.Training.Model;

/// <summary>LoRA hyper-parameters. Targets are the short tensor kinds: attn_q, attn_k, attn_v, attn_output,
/// ffn_gate, ffn_up, ffn_down.</summary>
public sealed record LoraConfig(int Rank = 8, float Alpha = 16f, float Dropout = 0f, IReadOnlyList<string>? Targets = null)
{
    public static readonly IReadOnlyList<string> AllTargets = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];
    public IReadOnlyList<string> EffectiveTargets => Targets ?? ["attn_q", "attn_k", "attn_v", "attn_output"];
}

public sealed class LoraPair
{
    public Param A { get; }
    public Param B { get; }
    public float Alpha { get; }
    public float Dropout { get; }
    public int Rank => (int)A.Ne[1];
    public int NIn => (int)A.Ne[0];
    public int NOut => (int)B.Ne[1];
    /// <summary>llama.cpp's scale: alpha / rank (times the adapter scale chosen at apply time, 1 here).</summary>
    public float Scale => Alpha / Rank;

    public LoraPair(Param a, Param b, float alpha, float dropout)
    {
        if (a.Ne[1] != b.Ne[0]) throw new ArgumentException($"{a.Name}/{b.Name}: rank mismatch");
        A = a; B = b; Alpha = alpha; Dropout = dropout;
    }

    /// <summary>A ~ U(-1/sqrt(n_in), 1/sqrt(n_in)), B = 0: the adapter starts as the identity change.</summary>
    public static LoraPair Create(string baseName, int nIn, int nOut, LoraConfig cfg, Random rng)
    {
        var a = new float[cfg.Rank * nIn];
        float bound = 1f / MathF.Sqrt(nIn);
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * bound;
        return new LoraPair(
            new Param(baseName + ".lora_a", [nIn, cfg.Rank], a),
            new Param(baseName + ".lora_b", [cfg.Rank, nOut], new float[nOut * cfg.Rank]),
            cfg.Alpha, cfg.Dropout);
    }

    /// <summary>What the forward pass keeps: the (dropped-out) input and u = A x'.</summary>
    public sealed record State(float[] XIn, float[] U, float[]? Mask);

    /// <summary>y [T,n_out] += scale * B (A dropout(x)).</summary>
    public State Forward(float[] y, float[] x, int t, Random? dropoutRng)
    {
        var xin = x;
        float[]? mask = null;
        if (dropoutRng is not null && Dropout > 0)
        {
            // Inverted dropout: kept inputs are scaled by 1/keep so inference needs no rescaling.
            xin = new float[x.Length];
            mask = new float[x.Length];
            float keep = 1f - Dropout;
            for (int i = 0; i < x.Length; i++)
            {
                mask[i] = dropoutRng.NextDouble() < Dropout ? 0f : 1f / keep;
                xin[i] = x[i] * mask[i];
            }
        }
        var u = new float[t * Rank];
        MatMul.Forward(u, xin, A.Data, t, NIn, Rank);
        var yl = new float[t * NOut];
        MatMul.Forward(yl, u, B.Data, t, Rank, NOut);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(yl, Scale, y, y);
        return new State(xin, u, mask);
    }

    /// <summary>Accumulates dA, dB and dx from dy.</summary>
    public void Backward(float[] dx, float[] dy, float[] x, State s, int t)
    {
        var dyl = new float[dy.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(dy, Scale, dyl);
        if (B.Grad is not null) MatMul.BackwardWeight(B.Grad, dyl, s.U, t, Rank, NOut);
        var du = new float[t * Rank];
        MatMul.BackwardInput(du, dyl, B.Data, t, Rank, NOut);
        if (A.Grad is not null) MatMul.BackwardWeight(A.Grad, du, s.XIn, t, NIn, Rank);
        var dxin = new float[x.Length];
        MatMul.BackwardInput(dxin, du, A.Data, t, NIn, Rank);
        if (s.Mask is not null) System.Numerics.Tensors.TensorPrimitives.Multiply(dxin, s.Mask, dxin);
        System.Numerics.Tensors.TensorPrimitives.Add(dx, dxin, dx);
    }
}
