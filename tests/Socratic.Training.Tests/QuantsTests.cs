using System.Buffers.Binary;
using Socratic.Training.Gguf;

namespace Socratic.Training.Tests;

public class QuantsTests
{
    [Theory]
    [InlineData(1.0f)]
    [InlineData(-2.5f)]
    [InlineData(0.0001220703125f)] // a subnormal-adjacent power of two, exact in F16
    [InlineData(65504f)]
    public void F16_round_trips_exactly_representable_values(float v) =>
        Assert.Equal(v, Quants.HalfToFloat(Quants.FloatToHalf(v)));

    [Fact]
    public void F16_bit_patterns_decode_to_IEEE_half_values()
    {
        Assert.Equal(1f, Quants.HalfToFloat(0x3C00));
        Assert.Equal(-2f, Quants.HalfToFloat(0xC000));
        Assert.Equal(0.5f, Quants.HalfToFloat(0x3800));
        Assert.Equal(MathF.Pow(2, -24), Quants.HalfToFloat(0x0001)); // smallest subnormal
    }

    [Fact]
    public void BF16_is_the_upper_half_of_F32_with_round_to_nearest_even()
    {
        Assert.Equal(1f, Quants.BF16ToFloat(0x3F80));
        Assert.Equal(-3f, Quants.BF16ToFloat(0xC040));
        Assert.Equal((ushort)0x3F80, Quants.FloatToBF16(1.0f));
        // 1 + 2^-8 is exactly halfway between bf16 1.0 and 1.0078125: ties go to even (1.0)
        Assert.Equal((ushort)0x3F80, Quants.FloatToBF16(1f + MathF.Pow(2, -8)));
        Assert.Equal((ushort)0x3F81, Quants.FloatToBF16(1f + 3 * MathF.Pow(2, -9)));
    }

    [Fact]
    public void Q8_0_block_dequantizes_to_scale_times_int8()
    {
        var block = new byte[Quants.Q8_0BlockBytes * 2];
        for (int b = 0; b < 2; b++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(b * 34), Quants.FloatToHalf(b == 0 ? 0.5f : -0.25f));
            for (int j = 0; j < 32; j++) block[b * 34 + 2 + j] = unchecked((byte)(sbyte)(j - 16));
        }
        var y = new float[64];
        Quants.Dequantize(GgmlType.Q8_0, block, y);
        for (int j = 0; j < 32; j++)
        {
            Assert.Equal(0.5f * (j - 16), y[j]);
            Assert.Equal(-0.25f * (j - 16), y[32 + j]);
        }
    }

    [Fact]
    public void Q4_K_block_dequantizes_with_6bit_scales_and_mins()
    {
        // Choose per-sub-block scales sc[j] and mins m[j] (6-bit), pack them as ggml does, and quants q[i] (4-bit).
        int[] sc = [1, 2, 3, 63, 17, 40, 5, 33];
        int[] mn = [0, 7, 63, 1, 22, 9, 48, 2];
        var s = new byte[12];
        for (int j = 0; j < 4; j++)
        {
            s[j] = (byte)(sc[j] | ((sc[j + 4] >> 4) << 6));
            s[j + 4] = (byte)(mn[j] | ((mn[j + 4] >> 4) << 6));
            s[j + 8] = (byte)((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
        }
        var q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 7 + 3) % 16;
        var block = new byte[Quants.Q4_KBlockBytes];
        float d = 0.125f, dmin = 0.0625f;
        BinaryPrimitives.WriteUInt16LittleEndian(block, Quants.FloatToHalf(d));
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), Quants.FloatToHalf(dmin));
        s.CopyTo(block, 4);
        // Output i lives in 64-chunk c = i/64: first 32 in the low nibbles of qs[32c..], next 32 in the high nibbles.
        for (int i = 0; i < 256; i++)
        {
            int c = i / 64, w = i % 64, byteIdx = 16 + 32 * c + (w % 32);
            block[byteIdx] |= (byte)(w < 32 ? q[i] : q[i] << 4);
        }
        var y = new float[256];
        Quants.Dequantize(GgmlType.Q4_K, block, y);
        for (int i = 0; i < 256; i++)
        {
            int sub = i / 32;
            Assert.Equal(d * sc[sub] * q[i] - dmin * mn[sub], y[i], 5);
        }
    }

    [Fact]
    public void Q6_K_block_dequantizes_with_int8_scales_and_centred_6bit_quants()
    {
        var q = new int[256]; // 0..63 before centring
        for (int i = 0; i < 256; i++) q[i] = (i * 13 + 5) % 64;
        var sc = new sbyte[16];
        for (int j = 0; j < 16; j++) sc[j] = (sbyte)(j * 9 - 70);
        var block = new byte[Quants.Q6_KBlockBytes];
        // Output i: half h = i/128, within-half w; l = w%32, group g = w/32 (0..3).
        // g 0/1 take the low nibble of ql[l] / ql[l+32], g 2/3 the high nibble; high bits in qh[l] at shift 2g.
        for (int i = 0; i < 256; i++)
        {
            int h = i / 128, w = i % 128, l = w % 32, g = w / 32;
            int qlIdx = 64 * h + l + (g % 2 == 1 ? 32 : 0);
            block[qlIdx] |= (byte)(g < 2 ? q[i] & 0xF : (q[i] & 0xF) << 4);
            block[128 + 32 * h + l] |= (byte)(((q[i] >> 4) & 3) << (2 * g));
        }
        for (int j = 0; j < 16; j++) block[192 + j] = unchecked((byte)sc[j]);
        float d = 0.03125f;
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(208), Quants.FloatToHalf(d));
        var y = new float[256];
        Quants.Dequantize(GgmlType.Q6_K, block, y);
        for (int i = 0; i < 256; i++)
            Assert.Equal(d * sc[i / 16] * (q[i] - 32), y[i], 5);
    }

    [Fact]
    public void Unsupported_type_is_rejected_with_a_clear_error()
    {
        var e = Assert.Throws<NotSupportedException>(() => Quants.ByteSize((GgmlType)2, 32));
        Assert.Contains("not supported", e.Message);
    }
}
