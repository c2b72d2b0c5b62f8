// Writes GGUF v3 files: metadata in the given order, then tensors aligned to general.alignment (32 unless set).
// Used for LoRA adapters, fine-tuned/merged models and models made from nothing (ModelFactory).
using System.Text;

namespace Socratic.Training.Gguf;

/// <summary>A tensor to write: raw bytes already in <paramref name="Type"/>'s layout.</summary>
public sealed record GgufTensorData(string Name, long[] Ne, GgmlType Type, byte[] Data)
{
    public static GgufTensorData F32(string name, long[] ne, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes); // little-endian host assumed (x64/arm64)
        return new GgufTensorData(name, ne, GgmlType.F32, bytes);
    }

    public static GgufTensorData F16(string name, long[] ne, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), Quants.FloatToHalf(values[i]));
        return new GgufTensorData(name, ne, GgmlType.F16, bytes);
    }
}

public static class GgufWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensorData> tensors)
    {
        var meta = metadata.ToList();
        int alignment = GgufFile.DefaultAlignment;
        foreach (var kv in meta)
            if (kv.Key == "general.alignment") alignment = checked((int)kv.Value.AsLong());
        foreach (var t in tensors)
        {
            long n = 1;
            foreach (var d in t.Ne) n *= d;
            if (Quants.ByteSize(t.Type, n) != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}': {t.Data.Length} bytes do not match ne [{string.Join(", ", t.Ne)}] of {t.Type}");
        }

        string tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
        using (var w = new BinaryWriter(fs, Encoding.UTF8))
        {
            w.Write(GgufFile.Magic);
            w.Write(3u);
            w.Write((ulong)tensors.Count);
            w.Write((ulong)meta.Count);
            foreach (var kv in meta)
            {
                WriteString(w, kv.Key);
                w.Write((uint)kv.Value.Type);
                WriteValue(w, kv.Value);
            }
            ulong offset = 0;
            foreach (var t in tensors)
            {
                WriteString(w, t.Name);
                w.Write((uint)t.Ne.Length);
                foreach (var d in t.Ne) w.Write((ulong)d);
                w.Write((uint)t.Type);
                w.Write(offset);
                offset = (ulong)GgufFile.Align((long)offset + t.Data.Length, alignment);
            }
            Pad(w, alignment);
            foreach (var t in tensors)
            {
                w.Write(t.Data);
                Pad(w, alignment);
            }
        }
        File.Move(tmp, path, overwrite: true); // readers never see a half-written model
    }

    static void Pad(BinaryWriter w, int alignment)
    {
        long pos = w.BaseStream.Position;
        long target = GgufFile.Align(pos, alignment);
        for (long i = pos; i < target; i++) w.Write((byte)0);
    }

    static void WriteString(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    static void WriteValue(BinaryWriter w, GgufValue v)
    {
        if (v.Type != GgufValueType.Array)
        {
            WriteScalar(w, v.Type, v.Value);
            return;
        }
        var arr = (Array)v.Value;
        w.Write((uint)v.ElementType);
        w.Write((ulong)arr.Length);
        foreach (var item in arr) WriteScalar(w, v.ElementType, item!);
    }

    static void WriteScalar(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write(Convert.ToByte(value)); break;
            case GgufValueType.Int8: w.Write(Convert.ToSByte(value)); break;
            case GgufValueType.UInt16: w.Write(Convert.ToUInt16(value)); break;
            case GgufValueType.Int16: w.Write(Convert.ToInt16(value)); break;
            case GgufValueType.UInt32: w.Write(Convert.ToUInt32(value)); break;
            case GgufValueType.Int32: w.Write(Convert.ToInt32(value)); break;
            case GgufValueType.Float32: w.Write(Convert.ToSingle(value)); break;
            case GgufValueType.Bool: w.Write((byte)((bool)value ? 1 : 0)); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt64: w.Write(Convert.ToUInt64(value)); break;
            case GgufValueType.Int64: w.Write(Convert.ToInt64(value)); break;
            case GgufValueType.Float64: w.Write(Convert.ToDouble(value)); break;
            default: throw new ArgumentException($"cannot write GGUF value type {type} here");
        }
    }
}
