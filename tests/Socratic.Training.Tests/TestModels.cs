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
        return !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "models"));
    }

    /// <summary>The folder holding Socratic.sln (games/, models/ of the repository itself).</summary>
    public static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Socratic.sln")))
                return d.FullName;
        throw new InvalidOperationException("Socratic.sln not found above " + AppContext.BaseDirectory);
    }

    // One scratch folder per test process, removed when the process exits.
    static readonly string Scratch = CreateScratch();

    static string CreateScratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "socratic-training-tests", Environment.ProcessId.ToString());
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // a file still mapped by llama.cpp: leave it to the OS temp cleaner
            catch (UnauthorizedAccessException) { }
        };
        return dir;
    }

    public static string TempPath(string name)
    {
        var dir = Path.Combine(Scratch, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
