// Cheap managed checks before a path reaches native code: a missing or non-GGUF file must fail as a
// ModelLoadException naming the file, never as a crash or an opaque native error.
using Socratic.Core.Policies;

namespace Socratic.Inference.Models;

internal static class ModelFileValidator
{
    // Every GGUF file starts with the ASCII bytes "GGUF".
    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>Throws <see cref="ModelLoadException"/> unless <paramref name="path"/> is a readable file with the GGUF magic.</summary>
    public static void EnsureGguf(string path, string what = "model")
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, $"{what} file not found", new FileNotFoundException($"No {what} file at '{path}'.", path));
        }

        Span<byte> head = stackalloc byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException ex)
        {
            throw new ModelLoadException(path, $"cannot read the {what} file ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelLoadException(path, $"cannot read the {what} file ({ex.Message})", ex);
        }

        if (read < head.Length || !head.SequenceEqual(Magic))
        {
            throw new ModelLoadException(path, $"not a GGUF file (missing the 'GGUF' magic at the start of the {what} file)");
        }
    }
}
