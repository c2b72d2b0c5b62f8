// Quantizes a GGUF with llama.cpp's own quantizer (through LLamaSharp), so a model the trainer wrote in F32 can be
// served and played at a fraction of the memory traffic: on a CPU, decoding one sequence is bound by reading the
// weights, so Q8_0 (about 1/4 of F32's bytes) is the first lever on tokens per second. The output is written to a
// temporary file and moved into place only when llama.cpp reports success, so a failure never leaves half a model.
using System.Globalization;
using LLama;
using LLama.Native;
using Socratic.Core.Policies;

namespace Socratic.Inference.Models;

public static class ModelQuantizer
{
    /// <summary>Types offered to users: llama.cpp's names, lower case.</summary>
    public static IReadOnlyList<string> Types { get; } = ["q8_0", "q6_k", "q5_k_m", "q5_0", "q4_k_m", "q4_0", "f16"];

    /// <summary>Writes <paramref name="output"/>, a copy of <paramref name="input"/> with weights quantized to
    /// <paramref name="type"/>. Tensors whose rows do not fit the type's block size keep a type that fits (llama.cpp's rule).</summary>
    /// <exception cref="ModelLoadException">The input is missing, not a GGUF, or llama.cpp could not quantize it.</exception>
    /// <exception cref="ArgumentException">An unknown type.</exception>
    public static void Quantize(string input, string output, string type, int threads)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(type);
        var name = type.ToLowerInvariant();
        if (!Types.Contains(name))
        {
            throw new ArgumentException($"unknown quantization type '{type}'; one of {string.Join(", ", Types)}.", nameof(type));
        }

        ModelFileValidator.EnsureGguf(input);
        NativeRuntime.EnsureConfigured(null, forwardNativeLogs: false);
        NativeApi.llama_empty_call(); // loads the native library through LLamaSharp's selection (CPU features, CUDA) first
        var full = Path.GetFullPath(output);
        if (Path.GetDirectoryName(full) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = full + string.Create(CultureInfo.InvariantCulture, $".{Environment.ProcessId}.partial");
        try
        {
            if (!LLamaQuantizer.Quantize(input, temporary, Ftype(name), Math.Max(1, threads), allowRequantize: true, quantizeOutputTensor: false))
            {
                throw new ModelLoadException(input, $"llama.cpp could not quantize it to {name} (an unsupported architecture or a damaged file)");
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static LLamaFtype Ftype(string name) => name switch
    {
        "q8_0" => LLamaFtype.MOSTLY_Q8_0,
        "q6_k" => LLamaFtype.MOSTLY_Q6_K,
        "q5_k_m" => LLamaFtype.MOSTLY_Q5_K_M,
        "q5_0" => LLamaFtype.MOSTLY_Q5_0,
        "q4_k_m" => LLamaFtype.MOSTLY_Q4_K_M,
        "q4_0" => LLamaFtype.MOSTLY_Q4_0,
        _ => LLamaFtype.MOSTLY_F16,
    };
}
