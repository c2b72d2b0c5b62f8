// What one sandboxed run is given and what comes back. The files are written to a throwaway host folder that
// the code sees read-only at /input; its writable space is a size-capped tmpfs at /work (its working folder).
namespace Socratic.Core.Sandbox;

/// <param name="Script">File name (in <see cref="Files"/>) of the script python runs, e.g. "main.py".</param>
/// <param name="Files">Name → content; plain names only (no folders, no "..").</param>
/// <param name="Stdin">Written to the script's stdin, which is then closed.</param>
public sealed record SandboxRequest(string Script, IReadOnlyDictionary<string, string> Files, string? Stdin = null)
{
    /// <summary>Arguments after the script path.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}

/// <param name="ExitCode">The interpreter's exit status; null when the run was killed (wall clock) or never ended.</param>
/// <param name="Stdout">At most MaxOutputBytes of stdout (the start of it); <see cref="StdoutTruncated"/> says if more was dropped.</param>
/// <param name="TimedOut">The wall-clock limit was hit and everything was killed.</param>
public sealed record SandboxResult(
    int? ExitCode,
    string Stdout,
    string Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    bool TimedOut,
    TimeSpan Elapsed);

/// <summary>The sandbox cannot be set up here (bwrap missing, user namespaces refused, running as root, …).
/// Nothing was executed; the message says what is wrong and which setting to change.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
