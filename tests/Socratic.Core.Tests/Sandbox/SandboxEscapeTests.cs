// Hostile scripts against the real sandbox (bubblewrap + rlimits + an unprivileged uid). Each one must end
// within its limits, leave no process and no input folder behind, and see nothing of the host.
using System.Net;
using System.Net.Sockets;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class SandboxEscapeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    public void Dispose()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.TempRoot)); // every run's input folder was deleted

        // A fork bomb's children are killed with their PID namespace, but the kernel reaps them a moment later and
        // they count against the sandbox uid's process limit until then: let them drain before the next test runs.
        Assert.True(SandboxKit.WaitForNoProcessesOf(fixture.Sandbox.Options.RunAsUid, TimeSpan.FromSeconds(10)), "processes of the sandbox uid are still alive");
    }

    [Fact]
    public async Task Runs_plain_python_as_an_unprivileged_user_with_an_empty_environment()
    {
        var r = await SandboxKit.RunAsync(fixture.Sandbox, "import os\nprint(os.getuid(), os.getgid(), sorted(os.environ))");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("65534 65534 ", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SOCRATIC", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fork_bomb_is_stopped_by_the_process_limit_and_leaves_nothing_running()
    {
        var marker = SandboxKit.Marker();
        const string Bomb = """
            import os, time
            first = os.getpid()
            forks = 0
            while True:
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    forks = 0          # the child goes on forking too
                    continue
                forks += 1
            if os.getpid() == first:   # the first python reports; the others sleep until killed
                print("stopped")
            else:
                time.sleep(120)
            """;

        var r = await SandboxKit.RunAsync(fixture.Sandbox, Bomb, marker);

        Assert.Contains("stopped", r.Stdout, StringComparison.Ordinal);
        Assert.True(r.Elapsed < Bound, $"took {r.Elapsed}");
        Assert.Empty(SandboxKit.ProcessesWith(marker));
    }

    [Fact]
    public async Task A_memory_bomb_gets_a_MemoryError_from_the_address_space_limit()
    {
        var r = await SandboxKit.RunAsync(fixture.Sandbox, "chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024 * 1024))\n");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("MemoryError", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_loop_is_killed_by_the_cpu_limit_before_the_wall_clock()
    {
        // One CPU second against a generous wall clock: on a loaded machine CPU time lags wall time a lot.
        using var sandbox = new PythonSandbox(SandboxKit.Options(fixture.TempRoot, wallClockSeconds: 60, cpuSeconds: 1));

        var r = await SandboxKit.RunAsync(sandbox, "while True:\n    pass\n");

        Assert.False(r.TimedOut);
        Assert.Equal(128 + 9, r.ExitCode); // SIGKILL at the hard RLIMIT_CPU
    }

    [Fact]
    public async Task A_sleeping_script_is_killed_at_the_wall_clock_with_everything_it_started()
    {
        var marker = SandboxKit.Marker();
        using var sandbox = new PythonSandbox(SandboxKit.Options(fixture.TempRoot, wallClockSeconds: 2));

        var r = await SandboxKit.RunAsync(sandbox, "import os, time\nif os.fork() == 0:\n    time.sleep(120)\ntime.sleep(120)\n", marker);

        Assert.True(r.TimedOut);
        Assert.Null(r.ExitCode);
        Assert.InRange(r.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Empty(SandboxKit.ProcessesWith(marker));
    }

    [Fact]
    public async Task Writing_a_gigabyte_stops_at_the_file_size_and_work_folder_limits()
    {
        const string Writer = """
            import os
            written = 0
            errors = []
            for name in range(128):                       # 128 files x 8 MiB chunks = 1 GiB if nothing stopped it
                try:
                    with open(f"/work/f{name}", "wb") as f:
                        for _ in range(8):
                            f.write(b"x" * (1024 * 1024))
                            f.flush()
                            written += 1024 * 1024
                except OSError as e:
                    errors.append(e.errno)
            for target in ("/input/x", "/usr/x", "/x"):
                try:
                    open(target, "w")
                    print("WROTE", target)
                except OSError:
                    pass
            print(written, sorted(set(errors)))
            """;

        var r = await SandboxKit.RunAsync(fixture.Sandbox, Writer);

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("WROTE", r.Stdout, StringComparison.Ordinal);
        var written = long.Parse(r.Stdout.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(written <= 32L * 1024 * 1024, $"wrote {written} bytes"); // the 32 MiB tmpfs
        Assert.Contains("28", r.Stdout, StringComparison.Ordinal); // ENOSPC
    }

    [Fact]
    public async Task Printing_100_MB_is_drained_and_cut_to_the_output_limit()
    {
        var r = await SandboxKit.RunAsync(fixture.Sandbox,
            "import sys\nfor _ in range(100):\n    sys.stdout.write('y' * (1024 * 1024))\nsys.stderr.write('e' * (10 * 1024 * 1024))\n");

        Assert.Equal(0, r.ExitCode);
        Assert.True(r.StdoutTruncated);
        Assert.True(r.StderrTruncated);
        Assert.Equal(64 * 1024, r.Stdout.Length);
        Assert.Equal(64 * 1024, r.Stderr.Length);
    }

    [Fact]
    public async Task The_network_is_unreachable_even_the_hosts_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var code = $$"""
            import socket
            for host, port in (("1.1.1.1", 80), ("127.0.0.1", {{port}}), ("example.com", 80)):
                try:
                    socket.create_connection((host, port), timeout=2).close()
                    print("CONNECTED", host)
                except OSError as e:
                    print("refused", host, type(e).__name__)
            """;

        var r = await SandboxKit.RunAsync(fixture.Sandbox, code);

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("CONNECTED", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Host_files_and_the_servers_environment_are_invisible()
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("SOCRATIC_TEST_SECRET", secret);
        try
        {
            const string Snoop = """
                import os, glob
                seen = [repr(dict(os.environ))]
                for path in ["/etc/shadow", "/etc/passwd", "/root", "/home", "/proc/1/environ", "/proc/self/environ"] + glob.glob("/proc/*/environ"):
                    try:
                        if os.path.isdir(path):
                            seen.append(path + ":" + ",".join(os.listdir(path)))
                        else:
                            seen.append(path + ":" + open(path, "rb").read().decode("latin-1"))
                    except OSError as e:
                        print("denied", path, type(e).__name__)
                print("\n".join(seen))
                """;

            var r = await SandboxKit.RunAsync(fixture.Sandbox, Snoop);

            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain(secret, r.Stdout, StringComparison.Ordinal);
            Assert.Contains("denied /etc/shadow", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("denied /root", r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x:0", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOCRATIC_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task A_symlink_cannot_reach_a_host_file_outside_the_work_folder()
    {
        var hostFile = Path.Combine(fixture.TempRoot, "..", "socratic-host-" + Guid.NewGuid().ToString("N"));
        hostFile = Path.GetFullPath(hostFile);
        await File.WriteAllTextAsync(hostFile, "host-secret");
        try
        {
            var code = $$"""
                import os
                target = {{System.Text.Json.JsonSerializer.Serialize(hostFile)}}
                attempts = [target, "/work/link", "/input/../" + target, "/proc/self/root" + target]
                os.symlink(target, "/work/link")
                try:
                    os.symlink(target, "/input/link")
                    print("LINKED INPUT")
                except OSError:
                    pass
                for path in attempts:
                    try:
                        print("READ", path, open(path).read())
                        open(path, "w").write("overwritten")
                    except OSError as e:
                        print("blocked", path, type(e).__name__)
                """;

            var r = await SandboxKit.RunAsync(fixture.Sandbox, code);

            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain("READ", r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("LINKED", r.Stdout, StringComparison.Ordinal);
            Assert.Equal(4, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal("host-secret", await File.ReadAllTextAsync(hostFile));
        }
        finally
        {
            File.Delete(hostFile);
        }
    }

    [Fact]
    public async Task A_daemonised_grandchild_does_not_outlive_the_run()
    {
        var marker = SandboxKit.Marker();
        const string Daemon = """
            import os, sys, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.close(0); os.close(1); os.close(2)   # detach from the pipes the host waits on
                    time.sleep(120)
                os._exit(0)
            print("parent exits")
            """;

        var r = await SandboxKit.RunAsync(fixture.Sandbox, Daemon, marker);

        Assert.Equal(0, r.ExitCode);
        Assert.False(r.TimedOut);
        Assert.Empty(SandboxKit.ProcessesWith(marker));
    }
}
