// Simple K-quant encoders (round-to-nearest with per-sub-block scales): enough to write Q4_K / Q6_K files
// that llama.cpp reads, and to test the decoders end to end. ggml's own quantizers search scales to reduce
// error; these do not, so prefer llama.cpp's quantize tool for production files.
using System.Buffers.Binary;

namespace Socratic.Training.Gguf;

public static partial class Quants
{
    /// <summary>Encodes F32 values as <paramref name="type"/> (row length must be whole blocks for quantized types).</summary>
    public static byte[] Quantize(GgmlType type, ReadOnlySpan<float> x)
    {
        switch (type)
        {
            case GgmlType.F32:
                return System.Runtime.InteropServices.MemoryMarshal.AsBytes(x).ToArray();
            case GgmlType.F16:
            case GgmlType.BF16:
                var b = new byte[x.Length * 2];
                for (int i = 0; i < x.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), type == GgmlType.F16 ? FloatToHalf(x[i]) : FloatToBF16(x[i]));
                return b;
            case GgmlType.Q8_0: return QuantizeQ8_0(x);
            case GgmlType.Q4_K: return QuantizeQ4_K(x);
            case GgmlType.Q6_K: return QuantizeQ6_K(x);
            default: throw new NotSupportedException($"cannot encode {type}");
        }
    }

    /// <summary>Q4_K: per 32-value sub-block y ≈ d·sc·q − dmin·m with q in 0..15, sc and m 6-bit.</summary>
    public static byte[] QuantizeQ4_K(ReadOnlySpan<float> x)
    {
        long blocks = CheckBlocks(x.Length, QK_K);
        var dst = new byte[blocks * Q4_KBlockBytes];
        Span<float> scale = stackalloc float[8], min = stackalloc float[8];
        Span<int> sc = stackalloc int[8], mn = stackalloc int[8];
        for (int b = 0; b < blocks; b++)
        {
            var src = x.Slice(b * QK_K, QK_K);
            for (int j = 0; j < 8; j++)
            {
                float lo = 0, hi = float.MinValue;
                foreach (var v in src.Slice(32 * j, 32)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                min[j] = -lo;
                scale[j] = (hi - lo) / 15f;
            }
            float d = HalfToFloat(FloatToHalf(Max(scale) / 63f)), dmin = HalfToFloat(FloatToHalf(Max(min) / 63f));
            for (int j = 0; j < 8; j++)
            {
                sc[j] = d > 0 ? Math.Clamp((int)MathF.Round(scale[j] / d), 0, 63) : 0;
                mn[j] = dmin > 0 ? Math.Clamp((int)MathF.Round(min[j] / dmin), 0, 63) : 0;
            }
            var blk = dst.AsSpan(b * Q4_KBlockBytes, Q4_KBlockBytes);
            BinaryPrimitives.WriteUInt16LittleEndian(blk, FloatToHalf(d));
            BinaryPrimitives.WriteUInt16LittleEndian(blk[2..], FloatToHalf(dmin));
            for (int j = 0; j < 4; j++) // inverse of ScaleMinK4
            {
                blk[4 + j] = (byte)(sc[j] | ((sc[j + 4] >> 4) << 6));
                blk[8 + j] = (byte)(mn[j] | ((mn[j + 4] >> 4) << 6));
                blk[12 + j] = (byte)((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
            }
            for (int i = 0; i < QK_K; i++)
            {
                int j = i / 32;
                float step = d * sc[j];
                int q = step > 0 ? Math.Clamp((int)MathF.Round((src[i] + dmin * mn[j]) / step), 0, 15) : 0;
                int c = i / 64, w = i % 64;
                blk[16 + 32 * c + w % 32] |= (byte)(w < 32 ? q : q << 4);
            }
        }
        return dst;
    }

    /// <summary>Q6_K: per 16-value sub-block y ≈ d·sc·(q − 32) with q in 0..63, sc int8.</summary>
    public static byte[] QuantizeQ6_K(ReadOnlySpan<float> x)
    {
        long blocks = CheckBlocks(x.Length, QK_K);
        var dst = new byte[blocks * Q6_KBlockBytes];
        Span<float> scale = stackalloc float[16];
        for (int b = 0; b < blocks; b++)
        {
            var src = x.Slice(b * QK_K, QK_K);
            for (int j = 0; j < 16; j++)
            {
                float amax = 0;
                foreach (var v in src.Slice(16 * j, 16)) amax = Math.Max(amax, Math.Abs(v));
                scale[j] = amax / 31f;
            }
            float d = HalfToFloat(FloatToHalf(Max(scale) / 127f));
            var blk = dst.AsSpan(b * Q6_KBlockBytes, Q6_KBlockBytes);
            var sc = new int[16];
            for (int j = 0; j < 16; j++)
            {
                sc[j] = d > 0 ? Math.Clamp((int)MathF.Round(scale[j] / d), -128, 127) : 0;
                blk[192 + j] = unchecked((byte)(sbyte)sc[j]);
            }
            BinaryPrimitives.WriteUInt16LittleEndian(blk[208..], FloatToHalf(d));
            for (int i = 0; i < QK_K; i++)
            {
                float step = d * sc[i / 16];
                int q = (step != 0 ? Math.Clamp((int)MathF.Round(src[i] / step), -32, 31) : 0) + 32;
                int h = i / 128, w = i % 128, l = w % 32, g = w / 32; // inverse of the Q6_K decoder's indexing
                blk[64 * h + l + (g % 2 == 1 ? 32 : 0)] |= (byte)(g < 2 ? q & 0xF : (q & 0xF) << 4);
                blk[128 + 32 * h + l] |= (byte)(((q >> 4) & 3) << (2 * g));
            }
        }
        return dst;
    }

    static float Max(ReadOnlySpan<float> v)
    {
        float m = 0;
        foreach (var x in v) m = Math.Max(m, x);
        return m;
    }
}
