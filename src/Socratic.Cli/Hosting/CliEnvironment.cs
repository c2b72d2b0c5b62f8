// Resolves what the CLI commands share: the model to use, the database (if any) and a logger factory.
// Settings come from options first, then the same environment variables the host reads.
using Microsoft.Extensions.Logging;
using Socratic.Core.Data;

namespace Socratic.Cli.Hosting;

public static class CliEnvironment
{
    /// <summary>--model, else SOCRATIC_MODEL, else the first *.gguf in ./models.</summary>
    public static string ResolveModel(string? option)
    {
        var path = option ?? Environment.GetEnvironmentVariable("SOCRATIC_MODEL");
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Directory.Exists("models") ? Directory.EnumerateFiles("models", "*.gguf").Order(StringComparer.Ordinal).FirstOrDefault() : null;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException("No model: pass --model PATH, set SOCRATIC_MODEL, or put a .gguf file in ./models.");
        }

        return File.Exists(path) ? Path.GetFullPath(path) : throw new CliException($"Model file not found: {Path.GetFullPath(path)}");
    }

    /// <summary>--db, else ConnectionStrings__Socratic; null means "do not store".</summary>
    public static string? ResolveDatabase(string? option) =>
        option ?? Environment.GetEnvironmentVariable("ConnectionStrings__Socratic");

    public static ILoggerFactory Logging(bool verbose) =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning));

    /// <summary>The runtime a command plays on: <paramref name="concurrency"/> sequences of <paramref name="context"/> tokens, batched.</summary>
    public static Socratic.Inference.LlamaPolicyProvider Runtime(int context, int concurrency, int threads) =>
        new(new Socratic.Inference.InferenceOptions
        {
            ContextSize = context,
            MaxSequences = concurrency,
            BatchSize = Math.Max(512, concurrency),
            Threads = threads > 0 ? threads : Environment.ProcessorCount,
        });

    public static Task MigrateAsync(string connectionString, CancellationToken cancellationToken) =>
        SocraticDb.MigrateAsync(connectionString, cancellationToken);
}

/// <summary>A user-facing error: printed without a stack trace, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
