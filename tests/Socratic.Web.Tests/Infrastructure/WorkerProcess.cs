// Runs the real host as a separate OS process (the web project's own build output), so a test can kill it
// with SIGKILL mid-episode, as a crashed machine would be, and start another.
using System.Diagnostics;
using System.Text;

namespace Socratic.Web.Tests.Infrastructure;

public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = HostAssemblyPath();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the host process.");
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no shutdown hooks, no cleanup, like a power cut.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>web/Socratic.Web/bin/CONFIG/net10.0/Socratic.Web.dll, CONFIG being the one the tests were built in.</summary>
    private static string HostAssemblyPath()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Socratic.sln")))
            {
                var dll = Path.Combine(dir.FullName, "web", "Socratic.Web", "bin", configuration, framework, "Socratic.Web.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the web host first.", dll);
            }
        }

        throw new DirectoryNotFoundException("Socratic.sln not found above " + AppContext.BaseDirectory);
    }
}
