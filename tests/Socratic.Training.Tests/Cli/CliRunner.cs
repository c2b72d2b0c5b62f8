// Runs `socratic` commands in-process through SocraticApp.Create(), capturing what they print. Spectre's
// AnsiConsole is process-wide, so every CLI test is in one non-parallel collection.
using Socratic.Cli.Training;
using Spectre.Console;

namespace Socratic.Training.Tests.Cli;

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;

internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 500; // no wrapping, so assertions can match whole lines
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = console;
        try
        {
            int code = SocraticApp.Create(console).Run(args);
            return (code, writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
