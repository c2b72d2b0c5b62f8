// Incremental decoding with a KV cache, for sampling (GRPO rollouts): one token at a time, keys/values of
// earlier positions kept per layer, so a completion of n tokens costs O(n) forward steps instead of O(n²).
// Inference only: no activations are stored and LoRA dropout is off. Same maths as Forward, position by position.
using Socratic.Training.Layers;

namespace Socratic.Training.Model;

public sealed class Decoder
{
    readonly LlamaModel _m;
    readonly float[][] _k, _v; // per layer [capacity, KV]
    readonly int _capacity;
    public int Position { get; private set; }

    internal Decoder(LlamaModel m, int capacity)
    {
        _m = m;
        _capacity = Math.Min(capacity, m.Config.ContextLength);
        _k = new float[m.Config.Layers][];
        _v = new float[m.Config.Layers][];
        for (int l = 0; l < _k.Length; l++)
        {
            _k[l] = new float[_capacity * m.Config.KvDim];
            _v[l] = new float[_capacity * m.Config.KvDim];
        }
    }

    /// <summary>Feeds the next token; returns the logits [V] predicting the token after it.</summary>
    public float[] Next(int token)
    {
        var c = _m.Config;
        if (Position >= _capacity) throw new InvalidOperationException($"KV cache full ({_capacity} positions)");
        if ((uint)token >= (uint)c.Vocab) throw new ArgumentOutOfRangeException(nameof(token));
        int D = c.Dim, KV = c.KvDim, F = c.FfnDim, hd = c.HeadDim, pos = Position;
        var x = new float[D];
        Array.Copy(_m.TokenEmbedding.Data, token * D, x, 0, D);
        var h = new float[D];
        var r = new float[1];
        var q = new float[D];
        var att = new float[D];
        var tmp = new float[D];
        var g = new float[F];
        var u = new float[F];
        var (cos, sin) = Rope.Tables(1, c.RotDims, c.RopeBase, pos);
        float scale = 1f / MathF.Sqrt(hd);
        for (int l = 0; l < c.Layers; l++)
        {
            var b = _m.Blocks[l];
            RmsNorm.Forward(h, r, x, b.AttnNorm.Data, 1, D, c.RmsEps);
            _m.Apply(b.Wq, q, h);
            var k = new float[KV];
            var v = new float[KV];
            _m.Apply(b.Wk, k, h);
            _m.Apply(b.Wv, v, h);
            if (b.Bq is not null) Bias.Forward(q, b.Bq.Data, 1);
            if (b.Bk is not null) Bias.Forward(k, b.Bk.Data, 1);
            if (b.Bv is not null) Bias.Forward(v, b.Bv.Data, 1);
            if (c.QkNorm)
            {
                RmsNorm.Forward(q, new float[c.Heads], (float[])q.Clone(), b.QNorm!.Data, c.Heads, hd, c.RmsEps);
                RmsNorm.Forward(k, new float[c.KvHeads], (float[])k.Clone(), b.KNorm!.Data, c.KvHeads, hd, c.RmsEps);
            }
            Rope.Apply(q, 1, c.Heads, hd, c.RotDims, cos, sin, inverse: false, c.RopeNeox);
            Rope.Apply(k, 1, c.KvHeads, hd, c.RotDims, cos, sin, inverse: false, c.RopeNeox);
            Array.Copy(k, 0, _k[l], pos * KV, KV);
            Array.Copy(v, 0, _v[l], pos * KV, KV);
            int group = c.Heads / c.KvHeads;
            var scores = new float[pos + 1];
            for (int head = 0; head < c.Heads; head++)
            {
                int kh = head / group;
                var qh = new ReadOnlySpan<float>(q, head * hd, hd);
                float max = float.NegativeInfinity;
                for (int j = 0; j <= pos; j++)
                {
                    scores[j] = scale * Vec.Dot(qh, new ReadOnlySpan<float>(_k[l], j * KV + kh * hd, hd));
                    max = Math.Max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j <= pos; j++) sum += scores[j] = MathF.Exp(scores[j] - max);
                var o = new Span<float>(att, head * hd, hd);
                o.Clear();
                for (int j = 0; j <= pos; j++) Vec.Axpy((float)(scores[j] / sum), new ReadOnlySpan<float>(_v[l], j * KV + kh * hd, hd), o);
            }
            _m.Apply(b.Wo, tmp, att);
            System.Numerics.Tensors.TensorPrimitives.Add(x, tmp, x);
            RmsNorm.Forward(h, r, x, b.FfnNorm.Data, 1, D, c.RmsEps);
            _m.Apply(b.Gate, g, h);
            _m.Apply(b.Up, u, h);
            SwiGlu.Forward(g, g, u);
            _m.Apply(b.Down, tmp, g);
            System.Numerics.Tensors.TensorPrimitives.Add(x, tmp, x);
        }
        RmsNorm.Forward(h, r, x, _m.OutputNorm.Data, 1, D, c.RmsEps);
        var logits = new float[c.Vocab];
        MatMul.Forward(logits, h, _m.Output.Data, 1, D, c.Vocab);
        Position++;
        return logits;
    }
}

public sealed partial class LlamaModel
{
    /// <summary>A fresh KV-cached decoder holding up to <paramref name="capacity"/> positions.</summary>
    public Decoder StartDecoding(int capacity) => new(this, capacity);

    /// <summary>y = W x (+ LoRA when enabled) for a single row, without caching anything.</summary>
    internal void Apply(Param w, float[] y, float[] x)
    {
        MatMul.Forward(y, x, w.Data, 1, w.Cols, w.Rows);
        if (LoraEnabled && Lora.TryGetValue(w.Name, out var pair)) pair.Forward(y, x, 1, null);
    }
}
