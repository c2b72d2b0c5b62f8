// Locates the shared test models: $SOCRATIC_SHARED_MODELS, else ../shared/models next to the directory
// holding Socratic.sln (found by walking up from the test binary).
namespace Socratic.Training.Tests;

internal static class TestModels
{
    public static string Dir { get; } = FindDir();
    public static string Stories => Path.Combine(Dir, "stories260K.gguf");
    public static string TinyRandom => Path.Combine(Dir, "llama-2-tiny-random.gguf");

    static string FindDir()
    {
        var env = Environment.GetEnvironmentVariable("SOCRATIC_SHARED_MODELS");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Socratic.sln")))
                return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "models"));
        throw new InvalidOperationException("Socratic.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TempPath(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "socratic-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
