// Runs untrusted Python inside bubblewrap, and only there: when the sandbox cannot be set up (bwrap or python
// missing, user namespaces refused, no way to drop root) it throws SandboxUnavailableException and runs
// nothing. The code sees a read-only /usr, its input files read-only at /input, a size-capped tmpfs at /work,
// no network, no host processes and an empty environment; it runs as an unprivileged uid under rlimits, and the
// wall clock kills the whole tree (the PID namespace takes every descendant, daemonised or not, with it).
using System.Diagnostics;
using System.Globalization;

namespace Socratic.Core.Sandbox;

public sealed record SandboxStatus(bool IsAvailable, string? Reason);

public sealed class PythonSandbox : IDisposable
{
    private const string ProbeOutput = "sandbox-ok";

    private readonly SandboxOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private Task<SandboxStatus>? _status;
    private long _checkedAt;

    public PythonSandbox(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentRuns));
    }

    public SandboxOptions Options => _options;

    /// <summary>After a failed check, how long until the next call checks again (a probe that lost to a loaded
    /// machine's wall clock must not disable code games until a restart).</summary>
    public static TimeSpan RecheckAfterFailure { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether code can run here, and why not: a real run of python in the sandbox, done once per process
    /// when it succeeds (at most once a minute when it fails), so it is cheap to call from a health check.</summary>
    public Task<SandboxStatus> CheckAsync()
    {
        lock (_gate)
        {
            var failed = _status is { IsCompletedSuccessfully: true, Result.IsAvailable: false };
            if (_status is null || (failed && Stopwatch.GetElapsedTime(_checkedAt) > RecheckAfterFailure))
            {
                _checkedAt = Stopwatch.GetTimestamp();
                _status = ProbeAsync();
            }

            return _status;
        }
    }

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = await CheckAsync();
        if (!status.IsAvailable)
        {
            throw new SandboxUnavailableException(status.Reason ?? "the sandbox is unavailable");
        }

        return await RunCheckedAsync(request, cancellationToken);
    }

    public void Dispose() => _slots.Dispose();

    private async Task<SandboxStatus> ProbeAsync()
    {
        if (Preflight() is { } reason)
        {
            return new SandboxStatus(false, reason);
        }

        try
        {
            var probe = new SandboxRequest("probe.py", new Dictionary<string, string> { ["probe.py"] = $"print('{ProbeOutput}')\n" });
            var result = await RunCheckedAsync(probe, CancellationToken.None);
            return result.ExitCode == 0 && result.Stdout.Trim() == ProbeOutput
                ? new SandboxStatus(true, null)
                : new SandboxStatus(false,
                    $"the sandbox could not run python (exit {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}"
                    + $"{(result.TimedOut ? ", timed out" : "")}): {Tail(result.Stderr, 500)}".TrimEnd(' ', ':'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return new SandboxStatus(false, $"the sandbox could not be started: {e.Message}");
        }
    }

    /// <summary>What can be known without running anything; null when nothing is wrong.</summary>
    private string? Preflight()
    {
        var o = _options;
        if (!OperatingSystem.IsLinux())
        {
            return "the Python sandbox needs Linux (bubblewrap and user namespaces)";
        }

        if (!File.Exists(o.BwrapPath))
        {
            return $"bubblewrap not found at '{o.BwrapPath}' (Socratic:Sandbox:BwrapPath); install the 'bubblewrap' package";
        }

        if (!File.Exists(o.PrlimitPath))
        {
            return $"prlimit not found at '{o.PrlimitPath}' (Socratic:Sandbox:PrlimitPath); install 'util-linux'";
        }

        if (!File.Exists(o.PythonPath))
        {
            return $"python not found at '{o.PythonPath}' (Socratic:Sandbox:PythonPath)";
        }

        if (o.RunAsUid <= 0 || o.RunAsGid <= 0)
        {
            return "Socratic:Sandbox:RunAsUid and RunAsGid must name an unprivileged user (> 0): process limits do not apply to root";
        }

        if (o.WallClockSeconds <= 0 || o.CpuSeconds <= 0 || o.MemoryMegabytes <= 0 || o.MaxFileMegabytes <= 0
            || o.WorkFolderMegabytes <= 0 || o.MaxOpenFiles <= 0 || o.MaxProcesses <= 0 || o.MaxOutputBytes <= 0)
        {
            return "every Socratic:Sandbox limit must be positive";
        }

        var uid = EffectiveUid();
        if (uid == 0)
        {
            return File.Exists(o.SetprivPath)
                ? null
                : $"running as root, the sandbox drops to uid {o.RunAsUid} with setpriv, which is not at '{o.SetprivPath}' (Socratic:Sandbox:SetprivPath)";
        }

        return uid == o.RunAsUid
            ? null
            : $"this process runs as uid {uid} and cannot switch to uid {o.RunAsUid}; set Socratic:Sandbox:RunAsUid/RunAsGid to {uid}/its gid, or run the host as root";
    }

    private async Task<SandboxResult> RunCheckedAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ValidateFileNames(request);
        await _slots.WaitAsync(cancellationToken);
        var folder = CreateInputFolder(request);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = await ExecuteAsync(folder, request, cancellationToken);
                if (!IsTransientSetupFailure(result) || attempt == SetupAttempts)
                {
                    return result;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
        finally
        {
            _slots.Release();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// bwrap could not make its namespaces or fork its PID 1 (EAGAIN): the sandbox uid's process count, which the kernel releases a little
    /// after a run's processes are gone, was still at the limit from the runs just before. Nothing of the request ran,
    /// so trying again after a pause is safe (code that prints the same line only earns itself a few reruns).
    /// </summary>
    private static bool IsTransientSetupFailure(SandboxResult result) =>
        result is { TimedOut: false, ExitCode: 1, Stdout.Length: 0 }
        && result.Stderr.StartsWith("bwrap: ", StringComparison.Ordinal)
        && result.Stderr.Contains("Resource temporarily unavailable", StringComparison.Ordinal);

    private const int SetupAttempts = 8;

    private async Task<SandboxResult> ExecuteAsync(string folder, SandboxRequest request, CancellationToken cancellationToken)
    {
        var argv = SandboxCommand.Build(_options, EffectiveUid() == 0, folder, request.Script, request.Arguments);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var a in argv.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        // Not even setpriv/prlimit/bwrap get the server's environment (connection strings, keys); bwrap clears it again.
        start.Environment.Clear();

        var clock = Stopwatch.StartNew();
        using var finished = new ManualResetEventSlim();
        using var process = await StartOnOwnThreadAsync(start, finished);
        var stdout = new BoundedCapture(_options.MaxOutputBytes);
        var stderr = new BoundedCapture(_options.MaxOutputBytes);
        using var wall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wall.CancelAfter(TimeSpan.FromSeconds(_options.WallClockSeconds));
        var timedOut = false;
        try
        {
            var drains = Task.WhenAll(
                stdout.DrainAsync(process.StandardOutput.BaseStream, CancellationToken.None),
                stderr.DrainAsync(process.StandardError.BaseStream, CancellationToken.None));
            await WriteStdinAsync(process, request.Stdin, wall.Token);
            await process.WaitForExitAsync(wall.Token);
            await drains.WaitAsync(wall.Token); // a leftover holding the pipes open counts against the wall clock too
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            Kill(process);
            finished.Set();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new SandboxResult(
            timedOut ? null : process.ExitCode, stdout.Text(), stderr.Text(), stdout.Truncated, stderr.Truncated, timedOut, clock.Elapsed);
    }

    /// <summary>Starts the process from a thread that lives until the run is over. --die-with-parent is
    /// PR_SET_PDEATHSIG, which fires when the *thread* that forked exits: started from a pool thread, the run
    /// would be SIGKILLed whenever the pool retires that thread.</summary>
    private static Task<Process> StartOnOwnThreadAsync(ProcessStartInfo start, ManualResetEventSlim finished)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new SandboxUnavailableException($"could not start '{start.FileName}'"));
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }

            finished.Wait();
        })
        {
            IsBackground = true,
            Name = "sandbox-run",
        };
        thread.Start();
        return started.Task;
    }

    private static async Task WriteStdinAsync(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The code exited (or closed stdin) without reading all of it: its result says what happened.
        }
    }

    /// <summary>Kills the outer bwrap and its descendants; bwrap's PID-1 then dies (die-with-parent), which makes
    /// the kernel kill everything left in the PID namespace. Waits so no zombie or pipe outlives the call.</summary>
    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void ValidateFileNames(SandboxRequest request)
    {
        foreach (var name in request.Files.Keys)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"sandbox file name '{name}' must be a plain file name", nameof(request));
            }
        }

        if (!request.Files.ContainsKey(request.Script))
        {
            throw new ArgumentException($"the script '{request.Script}' is not among the request's files", nameof(request));
        }
    }

    /// <summary>A fresh folder only root can write and the sandbox user can read; deleted after the run.</summary>
    private string CreateInputFolder(SandboxRequest request)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SandboxUnavailableException("the Python sandbox needs Linux");
        }

        var root = string.IsNullOrWhiteSpace(_options.TempRoot) ? Path.GetTempPath() : _options.TempRoot;
        var folder = Path.Combine(root, "socratic-sandbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var (name, content) in request.Files)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return folder;
    }

    /// <summary>The effective uid from /proc (no native interop needed).</summary>
    private static int EffectiveUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no Uid line in /proc/self/status");
    }

    private static string Tail(string text, int max) => text.Length <= max ? text.Trim() : "…" + text[^max..].Trim();
}
