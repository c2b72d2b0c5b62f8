// Where the sandbox cannot be set up it refuses with an error naming the setting, and runs nothing at all:
// the scripts here would leave a file on the host if they ever ran outside the sandbox.
using Socratic.Core.Sandbox;

namespace Socratic.Core.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class SandboxRefusalTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task A_missing_bwrap_is_refused_with_its_path_and_nothing_runs()
    {
        var options = SandboxKit.Options(fixture.TempRoot);
        options.BwrapPath = "/nonexistent/bwrap";
        using var sandbox = new PythonSandbox(options);

        var status = await sandbox.CheckAsync();
        var (error, witness) = await TryToLeaveAFileOnTheHost(sandbox);

        Assert.False(status.IsAvailable);
        Assert.Contains("/nonexistent/bwrap", status.Reason, StringComparison.Ordinal);
        Assert.Contains("BwrapPath", status.Reason, StringComparison.Ordinal);
        Assert.Equal(status.Reason, error.Message);
        Assert.False(File.Exists(witness));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.TempRoot));
    }

    [Fact]
    public async Task Running_as_root_inside_the_sandbox_is_refused()
    {
        var options = SandboxKit.Options(fixture.TempRoot);
        options.RunAsUid = 0;
        using var sandbox = new PythonSandbox(options);

        var (error, witness) = await TryToLeaveAFileOnTheHost(sandbox);

        Assert.Contains("RunAsUid", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(witness));
    }

    [Fact]
    public async Task A_python_outside_the_mounted_paths_makes_it_unavailable_with_bwraps_reason()
    {
        var hostOnly = Path.Combine(Path.GetTempPath(), "socratic-python-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(hostOnly, "#!/bin/sh\n"); // exists on the host, not inside the sandbox
        try
        {
            var options = SandboxKit.Options(fixture.TempRoot);
            options.PythonPath = hostOnly;
            using var sandbox = new PythonSandbox(options);

            var status = await sandbox.CheckAsync();

            Assert.False(status.IsAvailable);
            Assert.Contains("could not run python", status.Reason, StringComparison.Ordinal);
            Assert.Contains(hostOnly, status.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(hostOnly);
        }
    }

    private static async Task<(SandboxUnavailableException Error, string Witness)> TryToLeaveAFileOnTheHost(PythonSandbox sandbox)
    {
        var witness = Path.Combine(Path.GetTempPath(), "socratic-unsandboxed-" + Guid.NewGuid().ToString("N"));
        var code = $"open({System.Text.Json.JsonSerializer.Serialize(witness)}, 'w').write('ran')\n";
        var error = await Assert.ThrowsAsync<SandboxUnavailableException>(() => sandbox.RunAsync(
            new SandboxRequest("main.py", new Dictionary<string, string> { ["main.py"] = code }), CancellationToken.None));
        return (error, witness);
    }
}
