// A parsed GGUF v3 file: ordered metadata, tensor descriptors, and on-demand access to tensor data.
// Layout: "GGUF", u32 version, u64 tensor count, u64 kv count, kv pairs, tensor infos, padding to
// general.alignment (default 32), then tensor data at the offsets given in the infos (relative to the data start).
using System.Text;

namespace Socratic.Training.Gguf;

public sealed class GgufFile
{
    public const uint Magic = 0x46554747; // "GGUF" read as little-endian u32
    public const int DefaultAlignment = 32;

    public string Path { get; }
    public uint Version { get; }
    /// <summary>Metadata in file order (order matters to nobody, but keeping it makes round trips byte-stable).</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public long DataOffset { get; }
    public int Alignment { get; }

    readonly Dictionary<string, GgufValue> _meta;
    readonly Dictionary<string, GgufTensorInfo> _tensors;

    GgufFile(string path, uint version, List<KeyValuePair<string, GgufValue>> meta, List<GgufTensorInfo> tensors, long dataOffset, int alignment)
    {
        Path = path; Version = version; Metadata = meta; Tensors = tensors; DataOffset = dataOffset; Alignment = alignment;
        _meta = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
        foreach (var kv in meta) _meta[kv.Key] = kv.Value;
        _tensors = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public GgufValue? Get(string key) => _meta.GetValueOrDefault(key);
    public bool Has(string key) => _meta.ContainsKey(key);
    public string GetString(string key) => (Get(key) ?? throw Missing(key)).AsString();
    public long GetLong(string key) => (Get(key) ?? throw Missing(key)).AsLong();
    public long GetLong(string key, long fallback) => Get(key)?.AsLong() ?? fallback;
    public float GetFloat(string key, float fallback) => Get(key)?.AsFloat() ?? fallback;
    public GgufTensorInfo? FindTensor(string name) => _tensors.GetValueOrDefault(name);
    public GgufTensorInfo Tensor(string name) => FindTensor(name) ?? throw new InvalidDataException($"{Path}: tensor '{name}' not found");

    InvalidDataException Missing(string key) => new($"{Path}: metadata key '{key}' not found");

    /// <summary>Raw bytes of a tensor as stored (quantized blocks stay packed).</summary>
    public byte[] ReadRaw(GgufTensorInfo t)
    {
        var bytes = new byte[checked((int)t.ByteSize)];
        using var h = File.OpenHandle(Path);
        int read = RandomAccess.Read(h, bytes, DataOffset + (long)t.Offset);
        if (read != bytes.Length) throw new InvalidDataException($"{Path}: tensor '{t.Name}' is truncated");
        return bytes;
    }

    /// <summary>The tensor dequantized to F32, in ggml order (ne[0] fastest).</summary>
    public float[] ReadF32(string name)
    {
        var t = Tensor(name);
        var dst = new float[checked((int)t.ElementCount)];
        Quants.Dequantize(t.Type, ReadRaw(t), dst);
        return dst;
    }

    public static GgufFile Read(string path)
    {
        using var fs = File.OpenRead(path);
        using var r = new BinaryReader(fs, Encoding.UTF8, leaveOpen: false);
        try
        {
            if (r.ReadUInt32() != Magic) throw new InvalidDataException($"{path}: not a GGUF file (bad magic)");
            uint version = r.ReadUInt32();
            if (version is < 2 or > 3) throw new InvalidDataException($"{path}: GGUF version {version} is not supported (2 or 3 is)");
            long nTensors = checked((long)r.ReadUInt64());
            long nKv = checked((long)r.ReadUInt64());
            var meta = new List<KeyValuePair<string, GgufValue>>();
            for (long i = 0; i < nKv; i++)
            {
                string key = ReadString(r);
                var type = (GgufValueType)r.ReadUInt32();
                meta.Add(new(key, ReadValue(r, type)));
            }
            int alignment = DefaultAlignment;
            foreach (var kv in meta)
                if (kv.Key == "general.alignment") alignment = checked((int)kv.Value.AsLong());
            var tensors = new List<GgufTensorInfo>();
            for (long i = 0; i < nTensors; i++)
            {
                string name = ReadString(r);
                uint nDims = r.ReadUInt32();
                if (nDims > 4) throw new InvalidDataException($"{path}: tensor '{name}' has {nDims} dimensions");
                var ne = new long[nDims];
                for (int d = 0; d < nDims; d++) ne[d] = checked((long)r.ReadUInt64());
                var type = (GgmlType)r.ReadUInt32();
                ulong offset = r.ReadUInt64();
                tensors.Add(new GgufTensorInfo(name, ne, type, offset));
            }
            long dataOffset = Align(fs.Position, alignment);
            foreach (var t in tensors)
                if (dataOffset + (long)t.Offset + t.ByteSize > fs.Length)
                    throw new InvalidDataException($"{path}: tensor '{t.Name}' lies past the end of the file (truncated?)");
            return new GgufFile(path, version, meta, tensors, dataOffset, alignment);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: truncated GGUF header", e);
        }
    }

    internal static long Align(long x, int alignment) => (x + alignment - 1) / alignment * alignment;

    static string ReadString(BinaryReader r)
    {
        long len = checked((long)r.ReadUInt64());
        if (len > 1 << 30) throw new InvalidDataException($"GGUF string of {len} bytes");
        return Encoding.UTF8.GetString(r.ReadBytes((int)len));
    }

    static GgufValue ReadValue(BinaryReader r, GgufValueType type)
    {
        if (type != GgufValueType.Array) return new GgufValue(type, ReadScalar(r, type));
        var et = (GgufValueType)r.ReadUInt32();
        long n = checked((long)r.ReadUInt64());
        if (n > int.MaxValue) throw new InvalidDataException($"GGUF array of {n} elements");
        Array arr = et switch
        {
            GgufValueType.UInt8 => r.ReadBytes((int)n),
            GgufValueType.Int8 => Fill<sbyte>(n, () => r.ReadSByte()),
            GgufValueType.UInt16 => Fill<ushort>(n, () => r.ReadUInt16()),
            GgufValueType.Int16 => Fill<short>(n, () => r.ReadInt16()),
            GgufValueType.UInt32 => Fill<uint>(n, () => r.ReadUInt32()),
            GgufValueType.Int32 => Fill<int>(n, () => r.ReadInt32()),
            GgufValueType.Float32 => Fill<float>(n, () => r.ReadSingle()),
            GgufValueType.Bool => Fill<bool>(n, () => r.ReadByte() != 0),
            GgufValueType.String => Fill<string>(n, () => ReadString(r)),
            GgufValueType.UInt64 => Fill<ulong>(n, () => r.ReadUInt64()),
            GgufValueType.Int64 => Fill<long>(n, () => r.ReadInt64()),
            GgufValueType.Float64 => Fill<double>(n, () => r.ReadDouble()),
            _ => throw new InvalidDataException($"GGUF arrays of {et} are not supported"),
        };
        return new GgufValue(GgufValueType.Array, arr, et);
    }

    static T[] Fill<T>(long n, Func<T> next)
    {
        var a = new T[n];
        for (long i = 0; i < n; i++) a[i] = next();
        return a;
    }

    static object ReadScalar(BinaryReader r, GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => r.ReadByte(),
        GgufValueType.Int8 => r.ReadSByte(),
        GgufValueType.UInt16 => r.ReadUInt16(),
        GgufValueType.Int16 => r.ReadInt16(),
        GgufValueType.UInt32 => r.ReadUInt32(),
        GgufValueType.Int32 => r.ReadInt32(),
        GgufValueType.Float32 => r.ReadSingle(),
        GgufValueType.Bool => r.ReadByte() != 0,
        GgufValueType.String => ReadString(r),
        GgufValueType.UInt64 => r.ReadUInt64(),
        GgufValueType.Int64 => r.ReadInt64(),
        GgufValueType.Float64 => r.ReadDouble(),
        _ => throw new InvalidDataException($"unknown GGUF value type {(uint)type}"),
    };
}
