// Writes a small LoRA adapter GGUF for stories260K so adapter handling is tested on a real file without
// downloads: a rank-r update of output.weight with deterministic pseudo-random values, strong enough to change
// greedy text. Layout follows the GGUF v3 spec (header, metadata, tensor infos, aligned F32 data).
using System.Text;

namespace Socratic.Core.Tests.Inference;

internal static class TestLoraWriter
{
    private const int Alignment = 32;

    /// <summary>Writes an adapter for output.weight ([64, 512] in ggml order) of rank <paramref name="rank"/>.</summary>
    public static void WriteStoriesOutputAdapter(string path, int rank = 4, float magnitude = 1.0f, uint seed = 7)
    {
        const int embedding = 64;
        const int vocabulary = 512;
        var random = new Lcg(seed);

        // ggml dims: lora_a is [n_in, r], lora_b is [r, n_out] for a base weight [n_in, n_out].
        var tensors = new (string Name, ulong[] Dims, float[] Data)[]
        {
            ("output.weight.lora_a", [embedding, (ulong)rank], random.Fill(embedding * rank, magnitude)),
            ("output.weight.lora_b", [(ulong)rank, vocabulary], random.Fill(rank * vocabulary, magnitude)),
        };

        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write("GGUF"u8);
        writer.Write(3u); // version
        writer.Write((ulong)tensors.Length);
        writer.Write(4UL); // metadata entries
        WriteString(writer, "general.architecture", "llama");
        WriteString(writer, "general.type", "adapter");
        WriteString(writer, "adapter.type", "lora");
        writer.Write(GgufString("adapter.lora.alpha"));
        writer.Write(6u); // FLOAT32
        writer.Write((float)rank); // alpha = rank: scale 1 applies B·A as is

        ulong offset = 0;
        foreach (var (name, dims, data) in tensors)
        {
            writer.Write(GgufString(name));
            writer.Write((uint)dims.Length);
            foreach (var dim in dims)
            {
                writer.Write(dim);
            }

            writer.Write(0u); // F32
            writer.Write(offset);
            offset += Align((ulong)data.Length * sizeof(float));
        }

        Pad(writer);
        foreach (var (_, _, data) in tensors)
        {
            foreach (var value in data)
            {
                writer.Write(value);
            }

            Pad(writer);
        }
    }

    private static void WriteString(BinaryWriter writer, string key, string value)
    {
        writer.Write(GgufString(key));
        writer.Write(8u); // STRING
        writer.Write(GgufString(value));
    }

    private static byte[] GgufString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var result = new byte[sizeof(ulong) + bytes.Length];
        BitConverter.TryWriteBytes(result, (ulong)bytes.Length);
        bytes.CopyTo(result, sizeof(ulong));
        return result;
    }

    private static ulong Align(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        writer.Flush();
        var position = (ulong)writer.BaseStream.Position;
        for (var i = position; i < Align(position); i++)
        {
            writer.Write((byte)0);
        }
    }

    /// <summary>Tiny deterministic generator so the adapter is identical on every machine.</summary>
    private sealed class Lcg(uint state)
    {
        public float[] Fill(int count, float magnitude)
        {
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                state = unchecked((state * 1664525u) + 1013904223u);
                values[i] = ((state >> 8) / (float)(1 << 24) * 2f - 1f) * magnitude;
            }

            return values;
        }
    }
}
