// Forward and backward passes of the llama network (and its qwen2/qwen3 variants) over one sequence (positions 0..T-1).
//
// Activations: every intermediate the backward pass needs is STORED during the forward pass (ForwardPass),
// nothing is recomputed. The models this trainer targets are small (dim ≤ a few hundred, T ≤ 512), so the
// cache is a few MB and storing halves the arithmetic; the largest items are attention probabilities
// [H,T,T] and logits [T,V]. Gradient checkpointing would be the change to make for large models.
//
// Shapes: T tokens, D = dim, KV = kv heads * head dim, F = ffn dim, V = vocab, H = heads.
using Socratic.Training.Layers;

namespace Socratic.Training.Model;

/// <summary>What one block keeps for its backward pass.</summary>
internal sealed class BlockCache
{
    public required float[] XIn, R1, H1, Q, K, V, Probs, Ao, XMid, R2, H2, G, U, A;
    /// <summary>qwen3: q/k before their per-head norms, and the norms' 1/rms [T·heads].</summary>
    public float[]? QPre, KPre, RQ, RK;
    public Dictionary<string, LoraPair.State> Lora { get; } = new(StringComparer.Ordinal);
}

/// <summary>Result of a forward pass: logits [T,V] plus the activation cache for <see cref="LlamaModel.Backward"/>.</summary>
public sealed class ForwardPass
{
    public required int[] Tokens { get; init; }
    public int T => Tokens.Length;
    /// <summary>[T, V]: row t scores the token at position t+1.</summary>
    public required float[] Logits { get; init; }
    internal BlockCache[] Blocks { get; init; } = [];
    internal float[] XFinal { get; init; } = [];
    internal float[] RFinal { get; init; } = [];
    internal float[] HFinal { get; init; } = [];
    internal float[] Cos { get; init; } = [];
    internal float[] Sin { get; init; } = [];
}

public sealed partial class LlamaModel
{
    /// <summary>Runs the network over <paramref name="tokens"/>. <paramref name="dropoutRng"/> non-null turns on
    /// LoRA dropout (training); null is deterministic inference.</summary>
    public ForwardPass Forward(int[] tokens, Random? dropoutRng = null)
    {
        var c = Config;
        int T = tokens.Length, D = c.Dim, KV = c.KvDim, F = c.FfnDim;
        if (T == 0) throw new ArgumentException("empty sequence");
        foreach (var tok in tokens)
            if ((uint)tok >= (uint)c.Vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {tok} outside vocabulary of {c.Vocab}");
        var (cos, sin) = Rope.Tables(T, c.RotDims, c.RopeBase);

        // x [T,D] = token_embd rows
        var x = new float[T * D];
        for (int t = 0; t < T; t++) Array.Copy(TokenEmbedding.Data, tokens[t] * D, x, t * D, D);

        var caches = new BlockCache[Blocks.Length];
        for (int l = 0; l < Blocks.Length; l++)
        {
            var b = Blocks[l];
            var bc = new BlockCache
            {
                XIn = x, R1 = new float[T], H1 = new float[T * D],
                Q = new float[T * D], K = new float[T * KV], V = new float[T * KV],
                Probs = new float[c.Heads * T * T], Ao = new float[T * D], XMid = new float[T * D],
                R2 = new float[T], H2 = new float[T * D], G = new float[T * F], U = new float[T * F], A = new float[T * F],
            };
            // attention sub-block: h1 = rmsnorm(x) ⊙ attn_norm; q,k,v = W h1; rope(q,k); o = Wo attn(q,k,v)
            RmsNorm.Forward(bc.H1, bc.R1, x, b.AttnNorm.Data, T, D, c.RmsEps);
            // qwen3 normalises q and k per head before RoPE, so their projections land in QPre/KPre first.
            if (c.QkNorm) (bc.QPre, bc.KPre, bc.RQ, bc.RK) = (new float[T * D], new float[T * KV], new float[T * c.Heads], new float[T * c.KvHeads]);
            LinearForward(b.Wq, bc.QPre ?? bc.Q, bc.H1, T, bc, dropoutRng);
            LinearForward(b.Wk, bc.KPre ?? bc.K, bc.H1, T, bc, dropoutRng);
            LinearForward(b.Wv, bc.V, bc.H1, T, bc, dropoutRng);
            if (b.Bq is not null) Bias.Forward(bc.Q, b.Bq.Data, T); // qwen2
            if (b.Bk is not null) Bias.Forward(bc.K, b.Bk.Data, T);
            if (b.Bv is not null) Bias.Forward(bc.V, b.Bv.Data, T);
            if (c.QkNorm)
            {
                RmsNorm.Forward(bc.Q, bc.RQ!, bc.QPre!, b.QNorm!.Data, T * c.Heads, c.HeadDim, c.RmsEps);
                RmsNorm.Forward(bc.K, bc.RK!, bc.KPre!, b.KNorm!.Data, T * c.KvHeads, c.HeadDim, c.RmsEps);
            }
            Rope.Apply(bc.Q, T, c.Heads, c.HeadDim, c.RotDims, cos, sin, inverse: false, c.RopeNeox);
            Rope.Apply(bc.K, T, c.KvHeads, c.HeadDim, c.RotDims, cos, sin, inverse: false, c.RopeNeox);
            Attention.Forward(bc.Ao, bc.Probs, bc.Q, bc.K, bc.V, T, c.Heads, c.KvHeads, c.HeadDim);
            LinearForward(b.Wo, bc.XMid, bc.Ao, T, bc, dropoutRng);
            System.Numerics.Tensors.TensorPrimitives.Add(bc.XMid, x, bc.XMid); // residual
            // ffn sub-block: h2 = rmsnorm(xmid) ⊙ ffn_norm; a = silu(gate h2) ⊙ (up h2); x' = xmid + down a
            RmsNorm.Forward(bc.H2, bc.R2, bc.XMid, b.FfnNorm.Data, T, D, c.RmsEps);
            LinearForward(b.Gate, bc.G, bc.H2, T, bc, dropoutRng);
            LinearForward(b.Up, bc.U, bc.H2, T, bc, dropoutRng);
            SwiGlu.Forward(bc.A, bc.G, bc.U);
            var xOut = new float[T * D];
            LinearForward(b.Down, xOut, bc.A, T, bc, dropoutRng);
            System.Numerics.Tensors.TensorPrimitives.Add(xOut, bc.XMid, xOut);
            caches[l] = bc;
            x = xOut;
        }
        // logits [T,V] = output · (rmsnorm(x) ⊙ output_norm)
        var rf = new float[T];
        var hf = new float[T * D];
        RmsNorm.Forward(hf, rf, x, OutputNorm.Data, T, D, c.RmsEps);
        var logits = new float[T * c.Vocab];
        MatMul.Forward(logits, hf, Output.Data, T, D, c.Vocab);
        return new ForwardPass { Tokens = tokens, Logits = logits, Blocks = caches, XFinal = x, RFinal = rf, HFinal = hf, Cos = cos, Sin = sin };
    }

    /// <summary>Back-propagates dL/dlogits [T,V] into the Grad of every trainable Param (accumulating).</summary>
    public void Backward(ForwardPass fp, float[] dLogits)
    {
        var c = Config;
        int T = fp.T, D = c.Dim, KV = c.KvDim, F = c.FfnDim;
        var dh = new float[T * D];
        if (Output.Grad is not null) MatMul.BackwardWeight(Output.Grad, dLogits, fp.HFinal, T, D, c.Vocab);
        MatMul.BackwardInput(dh, dLogits, Output.Data, T, D, c.Vocab);
        var dx = new float[T * D];
        RmsNorm.Backward(dx, OutputNorm.Grad, dh, fp.XFinal, fp.RFinal, OutputNorm.Data, T, D);

        for (int l = Blocks.Length - 1; l >= 0; l--)
        {
            var b = Blocks[l];
            var bc = fp.Blocks[l];
            // ffn: x' = xmid + down(a); a = swiglu(g, u)
            var dA = new float[T * F];
            LinearBackward(b.Down, dx, bc.A, dA, T, bc);
            var dG = new float[T * F];
            var dU = new float[T * F];
            SwiGlu.Backward(dG, dU, dA, bc.G, bc.U);
            var dH2 = new float[T * D];
            LinearBackward(b.Gate, dG, bc.H2, dH2, T, bc);
            LinearBackward(b.Up, dU, bc.H2, dH2, T, bc);
            var dXMid = (float[])dx.Clone(); // residual path
            RmsNorm.Backward(dXMid, b.FfnNorm.Grad, dH2, bc.XMid, bc.R2, b.FfnNorm.Data, T, D);
            // attention: xmid = x + wo(attn(rope(q), rope(k), v))
            var dAo = new float[T * D];
            LinearBackward(b.Wo, dXMid, bc.Ao, dAo, T, bc);
            var dQ = new float[T * D];
            var dK = new float[T * KV];
            var dV = new float[T * KV];
            Attention.Backward(dQ, dK, dV, dAo, bc.Probs, bc.Q, bc.K, bc.V, T, c.Heads, c.KvHeads, c.HeadDim);
            Rope.Apply(dQ, T, c.Heads, c.HeadDim, c.RotDims, fp.Cos, fp.Sin, inverse: true, c.RopeNeox);
            Rope.Apply(dK, T, c.KvHeads, c.HeadDim, c.RotDims, fp.Cos, fp.Sin, inverse: true, c.RopeNeox);
            if (c.QkNorm)
            {
                var dQPre = new float[T * D];
                var dKPre = new float[T * KV];
                RmsNorm.Backward(dQPre, b.QNorm!.Grad, dQ, bc.QPre!, bc.RQ!, b.QNorm.Data, T * c.Heads, c.HeadDim);
                RmsNorm.Backward(dKPre, b.KNorm!.Grad, dK, bc.KPre!, bc.RK!, b.KNorm.Data, T * c.KvHeads, c.HeadDim);
                (dQ, dK) = (dQPre, dKPre);
            }
            if (b.Bq?.Grad is { } gBq) Bias.Backward(gBq, dQ, T);
            if (b.Bk?.Grad is { } gBk) Bias.Backward(gBk, dK, T);
            if (b.Bv?.Grad is { } gBv) Bias.Backward(gBv, dV, T);
            var dH1 = new float[T * D];
            LinearBackward(b.Wq, dQ, bc.H1, dH1, T, bc);
            LinearBackward(b.Wk, dK, bc.H1, dH1, T, bc);
            LinearBackward(b.Wv, dV, bc.H1, dH1, T, bc);
            var dXIn = dXMid; // residual path (dXMid is not read again)
            RmsNorm.Backward(dXIn, b.AttnNorm.Grad, dH1, bc.XIn, bc.R1, b.AttnNorm.Data, T, D);
            dx = dXIn;
        }
        if (TokenEmbedding.Grad is { } gE)
            for (int t = 0; t < T; t++)
            {
                var row = new Span<float>(gE, fp.Tokens[t] * D, D);
                System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(dx, t * D, D), row);
            }
    }

    /// <summary>Logits [T,V] only (inference).</summary>
    public float[] Logits(int[] tokens) => Forward(tokens).Logits;

    void LinearForward(Param w, float[] y, float[] x, int t, BlockCache bc, Random? rng)
    {
        int nIn = w.Cols, nOut = w.Rows;
        MatMul.Forward(y, x, w.Data, t, nIn, nOut);
        if (LoraEnabled && Lora.TryGetValue(w.Name, out var pair))
            bc.Lora[w.Name] = pair.Forward(y, x, t, rng);
    }

    void LinearBackward(Param w, float[] dy, float[] x, float[] dx, int t, BlockCache bc)
    {
        int nIn = w.Cols, nOut = w.Rows;
        if (w.Grad is not null) MatMul.BackwardWeight(w.Grad, dy, x, t, nIn, nOut);
        MatMul.BackwardInput(dx, dy, w.Data, t, nIn, nOut);
        if (bc.Lora.TryGetValue(w.Name, out var state)) Lora[w.Name].Backward(dx, dy, x, state, t);
    }
}
