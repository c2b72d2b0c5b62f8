// One-time process-wide setup of llama.cpp's native library. The log callback can only be chosen before
// the library loads, so every entry point of this assembly calls EnsureConfigured first.
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Socratic.Inference.Models;

internal static class NativeRuntime
{
    private static readonly Lock Gate = new();
    private static bool configured;

    public static void EnsureConfigured(ILogger? logger, bool forwardNativeLogs)
    {
        lock (Gate)
        {
            if (configured)
            {
                return;
            }

            configured = true;
            if (NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                return; // someone else configured LLamaSharp first; keep theirs
            }

            // llama.cpp writes a lot on every load and context creation; by default drop it (errors still surface
            // as managed exceptions), or forward it at Debug when asked.
            NativeLibraryConfig.All.WithLogCallback((level, message) =>
            {
                if (forwardNativeLogs && logger is not null)
                {
                    var logLevel = level switch
                    {
                        LLamaLogLevel.Error => LogLevel.Warning,
                        _ => LogLevel.Debug,
                    };
                    logger.Log(logLevel, "llama.cpp: {Message}", message.TrimEnd());
                }
            });
        }
    }
}
