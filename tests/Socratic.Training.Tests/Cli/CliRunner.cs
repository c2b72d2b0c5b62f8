// Runs `socratic` commands in-process through SocraticApp.Create(), capturing what they print. Spectre's
// AnsiConsole is process-wide, so every CLI test is in one non-parallel collection. Also linked into the web
// tests, which run `socratic eval` against PostgreSQL through Run(register, args).
using Socratic.Cli.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Training.Tests.Cli;

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;

internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args) =>
        RunWith(console => SocraticApp.Create(console), args);

    /// <summary>Runs <paramref name="args"/> on an app with only the commands <paramref name="register"/> adds.</summary>
    public static (int ExitCode, string Output) Run(Action<IConfigurator> register, params string[] args) =>
        RunWith(console =>
        {
            var app = new CommandApp();
            app.Configure(c =>
            {
                c.SetApplicationName("socratic");
                c.ConfigureConsole(console);
                register(c);
            });
            return app;
        }, args);

    private static (int ExitCode, string Output) RunWith(Func<IAnsiConsole, CommandApp> create, string[] args)
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
            int code = create(console).Run(args);
            return (code, writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
