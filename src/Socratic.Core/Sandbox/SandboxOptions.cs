// Settings of the Python sandbox (configuration section "Socratic:Sandbox", env Socratic__Sandbox__*). Every
// limit here is enforced by the kernel (rlimits, namespaces, tmpfs size), not by the code being run.
namespace Socratic.Core.Sandbox;

public sealed class SandboxOptions
{
    public const string SectionName = "Socratic:Sandbox";

    /// <summary>bubblewrap. The sandbox refuses to run anything when it is missing or cannot create namespaces.</summary>
    public string BwrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>util-linux setpriv: drops root to <see cref="RunAsUid"/> before bwrap starts.</summary>
    public string SetprivPath { get; set; } = "/usr/bin/setpriv";

    /// <summary>util-linux prlimit: sets the rlimits that bwrap and everything below it inherit.</summary>
    public string PrlimitPath { get; set; } = "/usr/bin/prlimit";

    /// <summary>The interpreter, a path inside <see cref="ReadOnlyPaths"/>. The system one, not a pyenv shim
    /// (shims are shell scripts that read the host's home folder, which the sandbox does not mount).</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>Host paths mounted read-only at the same place; symlinks (merged /usr) are recreated as symlinks.
    /// Null or empty = <see cref="DefaultReadOnlyPaths"/>. (No initial value here: the configuration binder would
    /// append the configured list to it instead of replacing it.)</summary>
    public string[]? ReadOnlyPaths { get; set; }

    public static IReadOnlyList<string> DefaultReadOnlyPaths { get; } = ["/usr", "/lib", "/lib64", "/bin"];

    public IReadOnlyList<string> EffectiveReadOnlyPaths => ReadOnlyPaths is { Length: > 0 } paths ? paths : DefaultReadOnlyPaths;

    /// <summary>The unprivileged user the code runs as. Rlimits on processes are not enforced for root (even root
    /// in a user namespace), so uid 0 is refused; a host that is not root must set its own uid here.</summary>
    public int RunAsUid { get; set; } = 65534;

    public int RunAsGid { get; set; } = 65534;

    /// <summary>Wall-clock limit of one run; then the whole process tree and its PID namespace are killed.</summary>
    public double WallClockSeconds { get; set; } = 10;

    /// <summary>RLIMIT_CPU of every process in the run.</summary>
    public int CpuSeconds { get; set; } = 5;

    /// <summary>RLIMIT_AS (address space) of every process, in MiB.</summary>
    public int MemoryMegabytes { get; set; } = 512;

    /// <summary>RLIMIT_FSIZE: the largest file a process may write, in MiB.</summary>
    public int MaxFileMegabytes { get; set; } = 16;

    /// <summary>Size of the writable tmpfs (/work, also /tmp), in MiB; it lives in memory and vanishes with the run.</summary>
    public int WorkFolderMegabytes { get; set; } = 64;

    /// <summary>RLIMIT_NOFILE.</summary>
    public int MaxOpenFiles { get; set; } = 64;

    /// <summary>RLIMIT_NPROC. The kernel counts every process of <see cref="RunAsUid"/> on the host, so concurrent
    /// runs share this budget; <see cref="MaxConcurrentRuns"/> bounds how many there are.</summary>
    public int MaxProcesses { get; set; } = 32;

    /// <summary>Bytes of stdout and of stderr kept per run; the rest is read and dropped.</summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>Runs at once in this process; more wait their turn.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Where the throwaway input folders are created; empty = the system temp folder.</summary>
    public string? TempRoot { get; set; }
}
