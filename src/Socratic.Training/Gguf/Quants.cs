// Element types of ggml tensors: byte sizes and dequantization to F32, following ggml's block layouts
// (block_q8_0, block_q4_K, block_q6_K in ggml-common.h; dequantize_row_* in ggml-quants.c).
// The trainer keeps every base weight in F32, so quantized bases are dequantized once at load.
using System.Buffers.Binary;

namespace Socratic.Training.Gguf;

public static partial class Quants
{
    /// <summary>Super-block length of the K-quants.</summary>
    public const int QK_K = 256;
    /// <summary>Block length of Q8_0.</summary>
    public const int QK8_0 = 32;

    public const int Q8_0BlockBytes = 2 + QK8_0;                 // f16 d, int8 qs[32]
    public const int Q4_KBlockBytes = 2 + 2 + 12 + QK_K / 2;      // f16 d, f16 dmin, scales[12], qs[128] = 144
    public const int Q6_KBlockBytes = QK_K / 2 + QK_K / 4 + QK_K / 16 + 2; // ql[128], qh[64], int8 scales[16], f16 d = 210

    public static long ByteSize(GgmlType type, long elements) => type switch
    {
        GgmlType.F32 => elements * 4,
        GgmlType.F16 or GgmlType.BF16 => elements * 2,
        GgmlType.Q8_0 => CheckBlocks(elements, QK8_0) * Q8_0BlockBytes,
        GgmlType.Q4_K => CheckBlocks(elements, QK_K) * Q4_KBlockBytes,
        GgmlType.Q6_K => CheckBlocks(elements, QK_K) * Q6_KBlockBytes,
        _ => throw new NotSupportedException($"ggml type {(uint)type} is not supported (F32, F16, BF16, Q8_0, Q4_K, Q6_K are)"),
    };

    static long CheckBlocks(long elements, int block)
    {
        if (elements % block != 0) throw new InvalidDataException($"{elements} elements is not a whole number of {block}-element blocks");
        return elements / block;
    }

    public static float HalfToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);
    public static ushort FloatToHalf(float f) => BitConverter.HalfToUInt16Bits((Half)f);
    /// <summary>BF16 is the upper half of an F32.</summary>
    public static float BF16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);
    /// <summary>Round-to-nearest-even, as ggml's fp32→bf16 does for finite values.</summary>
    public static ushort FloatToBF16(float f)
    {
        uint u = BitConverter.SingleToUInt32Bits(f);
        if (float.IsNaN(f)) return (ushort)((u >> 16) | 64);
        u += 0x7FFF + ((u >> 16) & 1);
        return (ushort)(u >> 16);
    }

    /// <summary>Dequantizes <paramref name="src"/> (raw tensor bytes) into <paramref name="dst"/> (element count).</summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> src, Span<float> dst)
    {
        long need = ByteSize(type, dst.Length);
        if (src.Length < need) throw new InvalidDataException($"tensor data too short: {src.Length} bytes, need {need}");
        switch (type)
        {
            case GgmlType.F32:
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            case GgmlType.F16:
                for (int i = 0; i < dst.Length; i++) dst[i] = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]));
                break;
            case GgmlType.BF16:
                for (int i = 0; i < dst.Length; i++) dst[i] = BF16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]));
                break;
            case GgmlType.Q8_0: DequantizeQ8_0(src, dst); break;
            case GgmlType.Q4_K: DequantizeQ4_K(src, dst); break;
            case GgmlType.Q6_K: DequantizeQ6_K(src, dst); break;
            default: throw new NotSupportedException($"ggml type {type} is not supported");
        }
    }

    /// <summary>ggml's reference Q8_0 quantizer: per block d = max|x| / 127, q = round(x / d).</summary>
    public static byte[] QuantizeQ8_0(ReadOnlySpan<float> x)
    {
        long blocks = CheckBlocks(x.Length, QK8_0);
        var dst = new byte[blocks * Q8_0BlockBytes];
        for (int b = 0; b < blocks; b++)
        {
            var src = x.Slice(b * QK8_0, QK8_0);
            float amax = 0;
            foreach (var v in src) amax = Math.Max(amax, Math.Abs(v));
            float d = amax / 127f, id = d != 0 ? 1f / d : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(dst.AsSpan(b * Q8_0BlockBytes), FloatToHalf(d));
            for (int j = 0; j < QK8_0; j++) dst[b * Q8_0BlockBytes + 2 + j] = unchecked((byte)(sbyte)MathF.Round(src[j] * id));
        }
        return dst;
    }

    // Q8_0: y = d * q, 32 values per block.
    static void DequantizeQ8_0(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int b = 0; b < dst.Length / QK8_0; b++)
        {
            var blk = src.Slice(b * Q8_0BlockBytes, Q8_0BlockBytes);
            float d = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(blk));
            for (int j = 0; j < QK8_0; j++) dst[b * QK8_0 + j] = d * (sbyte)blk[2 + j];
        }
    }

    // Q4_K: 8 sub-blocks of 32, each with a 6-bit scale and 6-bit min packed into 12 bytes;
    // y = d*sc*q - dmin*m. A 32-byte run of qs serves two sub-blocks: low nibbles first, then high nibbles.
    static void DequantizeQ4_K(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int b = 0; b < dst.Length / QK_K; b++)
        {
            var blk = src.Slice(b * Q4_KBlockBytes, Q4_KBlockBytes);
            float d = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(blk));
            float dmin = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(blk[2..]));
            var scales = blk.Slice(4, 12);
            var qs = blk.Slice(16, QK_K / 2);
            var y = dst.Slice(b * QK_K, QK_K);
            for (int chunk = 0; chunk < 4; chunk++) // 64 outputs per chunk
            {
                ScaleMinK4(2 * chunk, scales, out int sc1, out int m1);
                ScaleMinK4(2 * chunk + 1, scales, out int sc2, out int m2);
                var q = qs.Slice(32 * chunk, 32);
                for (int l = 0; l < 32; l++)
                {
                    y[64 * chunk + l] = d * sc1 * (q[l] & 0xF) - dmin * m1;
                    y[64 * chunk + 32 + l] = d * sc2 * (q[l] >> 4) - dmin * m2;
                }
            }
        }
    }

    /// <summary>Unpacks the j-th (0..7) 6-bit scale and min of a Q4_K/Q5_K block: the first four sit in the low
    /// six bits of bytes 0..3 / 4..7; the last four are split between bytes 8..11 and the top two bits of 0..7.</summary>
    internal static void ScaleMinK4(int j, ReadOnlySpan<byte> s, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = s[j] & 63;
            min = s[j + 4] & 63;
        }
        else
        {
            scale = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
            min = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
        }
    }

    // Q6_K: 16 sub-blocks of 16 with int8 scales; each 6-bit quant is 4 low bits in ql and 2 high bits in qh,
    // centred by subtracting 32. Processed in two halves of 128 outputs.
    static void DequantizeQ6_K(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int b = 0; b < dst.Length / QK_K; b++)
        {
            var blk = src.Slice(b * Q6_KBlockBytes, Q6_KBlockBytes);
            var qlAll = blk[..128];
            var qhAll = blk.Slice(128, 64);
            var scAll = blk.Slice(192, 16);
            float d = HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(blk[208..]));
            for (int half = 0; half < 2; half++)
            {
                var ql = qlAll.Slice(64 * half, 64);
                var qh = qhAll.Slice(32 * half, 32);
                var sc = scAll.Slice(8 * half, 8);
                var y = dst.Slice(b * QK_K + 128 * half, 128);
                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    y[l] = d * (sbyte)sc[s] * q1;
                    y[l + 32] = d * (sbyte)sc[s + 2] * q2;
                    y[l + 64] = d * (sbyte)sc[s + 4] * q3;
                    y[l + 96] = d * (sbyte)sc[s + 6] * q4;
                }
            }
        }
    }
}
