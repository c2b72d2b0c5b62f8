// Test helpers for the sandbox: tight limits so every hostile script ends in seconds, a private temp root to
// prove input folders are deleted, and a /proc scan to prove no process of a run survives it.
using Socratic.Core.Sandbox;

namespace Socratic.Core.Tests.Sandbox;

internal static class SandboxKit
{
    public static SandboxOptions Options(string tempRoot, double wallClockSeconds = 8, int cpuSeconds = 2) => new()
    {
        WallClockSeconds = wallClockSeconds,
        CpuSeconds = cpuSeconds,
        MemoryMegabytes = 256,
        MaxFileMegabytes = 8,
        WorkFolderMegabytes = 32,
        MaxProcesses = 24,
        MaxOutputBytes = 64 * 1024,
        TempRoot = tempRoot,
    };

    public static async Task<SandboxResult> RunAsync(PythonSandbox sandbox, string code, params string[] arguments)
    {
        var status = await sandbox.CheckAsync();
        Assert.True(status.IsAvailable, $"the sandbox must work on this machine (CI installs bubblewrap): {status.Reason}");
        return await sandbox.RunAsync(
            new SandboxRequest("main.py", new Dictionary<string, string> { ["main.py"] = code }) { Arguments = arguments },
            CancellationToken.None);
    }

    /// <summary>Pids of live processes whose command line contains <paramref name="marker"/> (zombies have none).</summary>
    public static IReadOnlyList<int> ProcessesWith(string marker)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    /// <summary>Waits until no process (zombies included) belongs to <paramref name="uid"/>; false if some remain.</summary>
    public static bool WaitForNoProcessesOf(int uid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var any = Directory.EnumerateDirectories("/proc").Any(dir =>
            {
                try
                {
                    return int.TryParse(Path.GetFileName(dir), out _)
                        && File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } line
                        && line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    return false; // the process ended while we looked
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            });
            if (!any)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }
    }

    public static string Marker() => "socratic-test-" + Guid.NewGuid().ToString("N");
}

/// <summary>A sandbox whose input folders go to a private temp root, checked empty and removed at the end.</summary>
public sealed class SandboxFixture : IDisposable
{
    public SandboxFixture()
    {
        TempRoot = Directory.CreateTempSubdirectory("socratic-sandbox-tests-").FullName;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the sandbox is Linux only");
        }

        File.SetUnixFileMode(TempRoot, (UnixFileMode)0b111_101_101); // 0755: the sandbox user must reach its input folder
        Sandbox = new PythonSandbox(SandboxKit.Options(TempRoot));
    }

    public string TempRoot { get; }

    public PythonSandbox Sandbox { get; }

    public void Dispose()
    {
        Sandbox.Dispose();
        Directory.Delete(TempRoot, recursive: true);
    }
}

/// <summary>
/// Sandbox tests run alone: the process limit counts every process of the sandbox uid on the host, so a fork-bomb
/// test running beside a scoring test would make the scoring run fail to start — a property of the host, not a bug.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
