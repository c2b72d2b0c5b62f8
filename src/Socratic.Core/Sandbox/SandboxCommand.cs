// The command line of one sandboxed run, built from the options: setpriv (drop root) → prlimit (rlimits) →
// bwrap (namespaces, read-only file system, tmpfs work folder, cleared environment) → python. Each program
// execs the next, so the process the host starts IS the outer bwrap, and killing its tree kills the run.
using System.Globalization;

namespace Socratic.Core.Sandbox;

internal static class SandboxCommand
{
    public const string InputMount = "/input";
    public const string WorkMount = "/work";

    /// <summary>Program and arguments; <paramref name="dropRoot"/> is true when the host runs as root.</summary>
    public static IReadOnlyList<string> Build(SandboxOptions o, bool dropRoot, string inputFolder, string script, IReadOnlyList<string> arguments)
    {
        const long MiB = 1024 * 1024;
        var args = new List<string>();
        if (dropRoot)
        {
            args.AddRange([o.SetprivPath, "--reuid", Num(o.RunAsUid), "--regid", Num(o.RunAsGid), "--clear-groups", "--no-new-privs", "--"]);
        }

        args.AddRange(
        [
            o.PrlimitPath,
            $"--cpu={Num(o.CpuSeconds)}",
            $"--as={Num(o.MemoryMegabytes * MiB)}",
            $"--fsize={Num(o.MaxFileMegabytes * MiB)}",
            $"--nofile={Num(o.MaxOpenFiles)}",
            $"--nproc={Num(o.MaxProcesses)}",
            "--core=0",
            "--",
        ]);

        // --unshare-all: user, pid, net (loopback only), ipc, uts, cgroup. --disable-userns stops the code from
        // making a nested user namespace in which it would be "root" again.
        args.AddRange(
        [
            o.BwrapPath, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--hostname", "sandbox",
        ]);
        foreach (var path in o.EffectiveReadOnlyPaths)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, path]); // merged /usr: /lib -> usr/lib stays a link
            }
            else if (Directory.Exists(path) || File.Exists(path))
            {
                args.AddRange(["--ro-bind", path, path]);
            }
        }

        args.AddRange(
        [
            "--proc", "/proc", "--dev", "/dev",
            "--size", Num(o.WorkFolderMegabytes * MiB), "--tmpfs", WorkMount,
            "--symlink", WorkMount, "/tmp",
            "--ro-bind", inputFolder, InputMount,
            "--remount-ro", "/", // bwrap's root is a tmpfs with no size cap: nothing may be written there
            "--chdir", WorkMount,
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", WorkMount, "--setenv", "TMPDIR", WorkMount,
            "--setenv", "LANG", "C.UTF-8",
            "--",
            o.PythonPath, "-I", "-B", "-X", "utf8", $"{InputMount}/{script}",
        ]);
        args.AddRange(arguments);
        return args;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
