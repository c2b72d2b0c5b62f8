// A throwaway PostgreSQL cluster for tests, started from the system's binaries (no Docker engine here).
// Constraints: works as root (initdb refuses root, so the server runs as the `postgres` user through
// runuser, with its data under /tmp where that user can reach it) and as an ordinary user; every test
// gets a fresh database through CreateDatabaseAsync; SOCRATIC_TEST_PG (a connection string) points the
// tests at an existing server instead, e.g. on a machine without the binaries.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Socratic.Web.Tests.Infrastructure;

public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable naming an existing server to use instead of starting one.</summary>
    public const string ExternalServerVariable = "SOCRATIC_TEST_PG";

    /// <summary>Optional environment variable naming the folder that holds initdb and pg_ctl.</summary>
    public const string BinariesVariable = "SOCRATIC_PG_BIN";

    private const string DirectoryPrefix = "socratic-pg-";

    private const string InstallHint =
        "Install PostgreSQL (Debian/Ubuntu: `sudo apt-get install -y postgresql`; macOS: `brew install postgresql@15`), " +
        $"or set {BinariesVariable} to the folder holding initdb and pg_ctl, " +
        $"or set {ExternalServerVariable} to a connection string of a server the tests may create databases on.";

    // The shared cluster is reference-counted so that the last fixture to let go stops it while the test
    // host is still alive: vstest gives the host only a moment to exit, too little for ProcessExit cleanup.
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? _shared;
    private static int _sharedUsers;

    private readonly string? _binDirectory;
    private readonly string? _rootDirectory;
    private readonly bool _runAsPostgres;
    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private PostgresServer(string adminConnectionString, string? binDirectory, string? rootDirectory, bool runAsPostgres)
    {
        AdminConnectionString = adminConnectionString;
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
        _runAsPostgres = runAsPostgres;
    }

    /// <summary>Connection string to the server's maintenance database (superuser, trust auth).</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this instance started its own cluster (false: SOCRATIC_TEST_PG).</summary>
    public bool IsThrowaway => _rootDirectory is not null;

    /// <summary>
    /// The cluster shared by the test run, started on first use. Pair every call with
    /// <see cref="ReleaseSharedAsync"/>; the last release stops it (a later acquire starts a new one).
    /// </summary>
    public static async Task<PostgresServer> AcquireSharedAsync(CancellationToken cancellationToken = default)
    {
        await SharedGate.WaitAsync(cancellationToken);
        try
        {
            _shared ??= await StartAsync(cancellationToken);
            _sharedUsers++;
            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    public static async Task ReleaseSharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_shared is null || --_sharedUsers > 0)
            {
                return;
            }

            var server = _shared;
            _shared = null;
            await server.DisposeAsync();
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Starts a new cluster (or wraps SOCRATIC_TEST_PG). Dispose it to stop and delete it.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            if (string.IsNullOrEmpty(builder.Database))
            {
                builder.Database = "postgres";
            }

            var wrapped = new PostgresServer(builder.ConnectionString, null, null, false);
            await wrapped.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return wrapped;
        }

        var bin = FindBinaries();
        SweepAbandonedDirectories();
        var runAsPostgres = Environment.IsPrivilegedProcess;
        var root = CreateRootDirectory(runAsPostgres);
        try
        {
            var data = Path.Combine(root, "data");
            // --no-locale/-E UTF8: C collation everywhere (macOS has no C.UTF-8); --no-sync: nothing here must survive a crash.
            await RunAsync(bin, "initdb", runAsPostgres, TimeSpan.FromMinutes(2), cancellationToken,
                "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");

            // A free port can be taken by someone else between probing and binding: try a few.
            Exception? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var port = FindFreePort();
                var options = string.Join(' ',
                    "-c listen_addresses=127.0.0.1", $"-p {port}", $"-k {root}", "-c max_connections=600",
                    "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
                try
                {
                    await RunAsync(bin, "pg_ctl", runAsPostgres, TimeSpan.FromSeconds(90), cancellationToken,
                        "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start");
                }
                catch (InvalidOperationException ex)
                {
                    last = ex;
                    continue;
                }

                var connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Database = "postgres",
                }.ConnectionString;
                var server = new PostgresServer(connectionString, bin, root, runAsPostgres);
                // Last resort for a run that never disposes (shared instance, a failing fixture): no stray postmasters.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(wait: false);
                try
                {
                    await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }
                catch
                {
                    await server.DisposeAsync();
                    throw;
                }

                return server;
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start after 3 attempts. Server log:\n{ReadLogTail(root)}", last);
        }
        catch
        {
            TryDeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// Creates an empty database and returns a connection string for it. The name is made safe and
    /// given a random suffix, so the same name may be asked for twice (and on a shared external server)
    /// and still yield a fresh database; read the actual name from the returned string if needed.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var database = MakeDatabaseName(name);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (_gate)
        {
            _createdDatabases.Add(database);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsThrowaway)
        {
            // Stopping is a short, bounded process call; run it off the caller's thread.
            await Task.Run(() => Stop(wait: true));
            return;
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // External server: leave it as we found it.
        string[] databases;
        lock (_gate)
        {
            databases = [.. _createdDatabases];
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            foreach (var database in databases)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a left-over test database is harmless.
        }
    }

    /// <summary>
    /// Stops the cluster (immediate: nothing needs to be flushed) and deletes its folder. Without
    /// <paramref name="wait"/> it only signals the server, for the few milliseconds a dying process has.
    /// </summary>
    private void Stop(bool wait)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _rootDirectory is null || _binDirectory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            RunAsync(_binDirectory, "pg_ctl", _runAsPostgres, TimeSpan.FromSeconds(30), CancellationToken.None,
                "-D", Path.Combine(_rootDirectory, "data"), "-m", "immediate", wait ? "-w" : "-W", "stop").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Already gone (or never fully started): deleting the folder is all that is left to do.
        }

        TryDeleteDirectory(_rootDirectory);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // pg_ctl -w already waits, but "accepting connections" can lag a moment behind on a loaded machine.
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or SocketException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException)
            {
                var where = IsThrowaway ? $"Server log:\n{ReadLogTail(_rootDirectory!)}" : $"(from {ExternalServerVariable})";
                throw new InvalidOperationException($"PostgreSQL is not accepting connections. {where}", ex);
            }
        }
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        var fromVariable = Environment.GetEnvironmentVariable(BinariesVariable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
        {
            candidates.Add(fromVariable);
        }

        // Debian/Ubuntu keep each major version apart; prefer the newest installed.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        candidates.AddRange(["/opt/homebrew/opt/postgresql@15/bin", "/usr/local/opt/postgresql@15/bin", "/usr/local/pgsql/bin"]);

        var found = candidates.FirstOrDefault(d =>
            File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return found ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries (initdb, pg_ctl) were not found under {debianRoot}/*/bin or on PATH. {InstallHint}");
    }

    private static string CreateRootDirectory(bool forPostgresUser)
    {
        // Always /tmp (not TMPDIR): the postgres user must be able to reach it, and the Unix socket path
        // inside it must stay under the ~107-byte limit.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"The throwaway cluster needs a Unix-like system. {InstallHint}");
        }

        var root = Path.Combine("/tmp", DirectoryPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (forPostgresUser)
        {
            try
            {
                RunProcessAsync("chown", ["postgres:postgres", root], TimeSpan.FromSeconds(30), CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            catch
            {
                TryDeleteDirectory(root);
                throw;
            }
        }

        return root;
    }

    /// <summary>
    /// A test host killed mid-cleanup leaves its folder behind; remove such folders once they are an hour
    /// old and hold no running server (other test runs on this machine may be using theirs right now).
    /// </summary>
    private static void SweepAbandonedDirectories()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/tmp", DirectoryPrefix + "*"))
            {
                var running = File.Exists(Path.Combine(dir, "data", "postmaster.pid"));
                if (!running && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddHours(-1))
                {
                    TryDeleteDirectory(dir);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Housekeeping only.
        }
    }

    private static Task<string> RunAsync(string bin, string tool, bool asPostgres, TimeSpan timeout,
        CancellationToken cancellationToken, params string[] arguments)
    {
        var executable = Path.Combine(bin, tool);
        if (!asPostgres)
        {
            return RunProcessAsync(executable, arguments, timeout, cancellationToken);
        }

        // initdb and postgres refuse to run as root; runuser (util-linux) needs no password for root.
        return RunProcessAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], timeout, cancellationToken);
    }

    private static async Task<string> RunProcessAsync(string fileName, IReadOnlyList<string> arguments,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server inherits our working directory; / is one the postgres user can always enter.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = fileName + " " + string.Join(' ', arguments);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            var hint = fileName == "runuser"
                ? "runuser (util-linux) is needed to run PostgreSQL as the postgres user when the tests run as root. "
                : string.Empty;
            throw new InvalidOperationException($"Could not start `{commandLine}`: {ex.Message}. {hint}{InstallHint}", ex);
        }

        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s.\n{output}");
            }

            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (process.ExitCode != 0)
            {
                var hint = fileName == "runuser" && text.Contains("user postgres does not exist", StringComparison.OrdinalIgnoreCase)
                    ? " There is no `postgres` system user; installing the postgresql package creates it."
                    : string.Empty;
                throw new InvalidOperationException($"`{commandLine}` exited with {process.ExitCode}.{hint}\n{text}");
            }

            return text;
        }
    }

    private static int FindFreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string MakeDatabaseName(string name)
    {
        var safe = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            safe.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        // 63 bytes is PostgreSQL's identifier limit: 40 for the caller's name, the rest for the suffix.
        var prefix = safe.Length == 0 ? "test" : safe.ToString(0, Math.Min(safe.Length, 40));
        return $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }

    private static string ReadLogTail(string root)
    {
        var log = Path.Combine(root, "server.log");
        try
        {
            var lines = File.ReadAllLines(log);
            return string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(server log not readable)";
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// Collection fixture handing out the shared throwaway cluster. Test classes opt in with
/// <c>[Collection("postgres")]</c> and take this fixture in their constructor.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture has not been initialised.");

    public async Task InitializeAsync() => _server = await PostgresServer.AcquireSharedAsync();

    public Task<string> CreateDatabaseAsync(string name) => Server.CreateDatabaseAsync(name);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            _server = null;
            await PostgresServer.ReleaseSharedAsync();
        }
    }
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
