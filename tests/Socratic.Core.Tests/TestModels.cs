// Locates the shared test models: $SOCRATIC_SHARED_MODELS, or ../shared/models next to the folder holding
// Socratic.sln (found by walking up from the test binaries). Tests never download anything.
namespace Socratic.Core.Tests;

public static class TestModels
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    /// <summary>Folder holding the shared GGUF files.</summary>
    public static string Directory => Folder.Value;

    /// <summary>Trained tiny llama (TinyStories), 512-token vocabulary, no chat template.</summary>
    public static string Stories260K => Path.Combine(Directory, "stories260K.gguf");

    /// <summary>Random-weight llama with the 32,000-token Llama-2 vocabulary, no chat template.</summary>
    public static string TinyRandomLlama => Path.Combine(Directory, "llama-2-tiny-random.gguf");

    /// <summary>The repository's games/ folder, beside Socratic.sln.</summary>
    public static string GamesDirectory => Path.Combine(RepositoryRoot(), "games");

    /// <summary>The repository's own committed model (models/socratic-micro.gguf), not a shared test model.</summary>
    public static string SocraticMicro => Path.Combine(RepositoryRoot(), "models", "socratic-micro.gguf");

    private static string FindFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SOCRATIC_SHARED_MODELS");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var models = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "models"));
        return System.IO.Directory.Exists(models)
            ? models
            : throw new DirectoryNotFoundException($"Test models expected at '{models}' (or set SOCRATIC_SHARED_MODELS).");
    }

    /// <summary>The folder holding Socratic.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Socratic.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No Socratic.sln above '{AppContext.BaseDirectory}'; set SOCRATIC_SHARED_MODELS to the models folder.");
    }
}
