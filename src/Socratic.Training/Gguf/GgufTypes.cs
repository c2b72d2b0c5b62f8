// GGUF value and tensor type codes, as fixed by the GGUF v3 specification and ggml's ggml_type enum.
// Only the tensor types this trainer can read are named; anything else is rejected with a clear error.
namespace Socratic.Training.Gguf;

/// <summary>Metadata value types of GGUF (the numbers are on-disk codes).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>ggml tensor element types (on-disk codes). Only these are supported by <see cref="Quants"/>.</summary>
public enum GgmlType : uint
{
    F32 = 0, F16 = 1, Q8_0 = 8, Q4_K = 12, Q6_K = 14, BF16 = 30,
}

/// <summary>A metadata value: its type, and for arrays the element type. Value is a CLR scalar, string or array.</summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8)
{
    public static GgufValue Of(string s) => new(GgufValueType.String, s);
    public static GgufValue Of(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue Of(int v) => new(GgufValueType.Int32, v);
    public static GgufValue Of(float v) => new(GgufValueType.Float32, v);
    public static GgufValue Of(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue Of(ulong v) => new(GgufValueType.UInt64, v);
    public static GgufValue ArrayOf(string[] items) => new(GgufValueType.Array, items, GgufValueType.String);
    public static GgufValue ArrayOf(float[] items) => new(GgufValueType.Array, items, GgufValueType.Float32);
    public static GgufValue ArrayOf(int[] items) => new(GgufValueType.Array, items, GgufValueType.Int32);

    /// <summary>Any integer type widened to long (GGUF writers disagree on which width they use for counts).</summary>
    public long AsLong() => Value switch
    {
        byte b => b, sbyte sb => sb, ushort us => us, short s => s, uint u => u, int i => i,
        ulong ul => checked((long)ul), long l => l,
        _ => throw new InvalidDataException($"GGUF value of type {Type} is not an integer"),
    };

    public float AsFloat() => Value switch
    {
        float f => f, double d => (float)d,
        _ => AsLong(),
    };

    public string AsString() => Value as string ?? throw new InvalidDataException($"GGUF value of type {Type} is not a string");
}

/// <summary>One tensor as described in the GGUF header. Ne[0] is the fastest-varying dimension.</summary>
public sealed record GgufTensorInfo(string Name, long[] Ne, GgmlType Type, ulong Offset)
{
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Ne) n *= d;
            return n;
        }
    }

    public long ByteSize => Quants.ByteSize(Type, ElementCount);
}
