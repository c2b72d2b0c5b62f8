// `socratic eval`: plays a held-out evaluation suite with a stored policy (--policy ID, needs a database) or a
// model file (--model, optional --adapter), shows progress, and prints accuracy with its 95% Wilson interval.
// With --policy and a database the result is stored as an EvaluationResult row. `--list` lists the suites.
// The default seed is fixed (0), so two evaluations of different generations see the same tasks.
using System.ComponentModel;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Socratic.Cli.Hosting;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.Policies;
using Socratic.Inference;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Evaluation;

public sealed class EvalCommand : AsyncCommand<EvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--list")]
        [Description("List the evaluation suites and exit.")]
        public bool List { get; init; }

        [CommandOption("--suite <NAME>")]
        [Description("The suite to play (see --list).")]
        public string? Suite { get; init; }

        [CommandOption("--policy <ID>")]
        [Description("A stored policy (base model + adapter) to evaluate; needs a database. The result is stored.")]
        public long? Policy { get; init; }

        [CommandOption("-m|--model <PATH>")]
        [Description("A GGUF model to evaluate instead of a stored policy (not stored).")]
        public string? Model { get; init; }

        [CommandOption("--adapter <PATH>")]
        [Description("LoRA adapter GGUF applied to --model.")]
        public string? Adapter { get; init; }

        [CommandOption("-n|--count <N>")]
        [Description("Tasks to play (default 100).")]
        public int Count { get; init; } = 100;

        [CommandOption("-s|--seed <S>")]
        [Description("Seed of the task stream (default 0: every evaluation sees the same tasks).")]
        public long Seed { get; init; }

        [CommandOption("-k|--concurrency <K>")]
        [Description("Tasks played at once with batched decoding (default 8).")]
        public int Concurrency { get; init; } = 8;

        [CommandOption("--template <NAME>")]
        [Description("Chat template for --model when it has none (default chatml).")]
        public string Template { get; init; } = "chatml";

        [CommandOption("--db <CONNECTION>")]
        [Description("PostgreSQL connection string. Default: ConnectionStrings__Socratic.")]
        public string? Database { get; init; }

        [CommandOption("--context <TOKENS>")]
        [Description("Context per task in tokens (default 512).")]
        public int Context { get; init; } = 512;

        [CommandOption("--threads <N>")]
        [Description("CPU threads for decoding (default: all cores).")]
        public int Threads { get; init; }

        public override ValidationResult Validate() =>
            List ? ValidationResult.Success()
            : string.IsNullOrWhiteSpace(Suite) ? ValidationResult.Error("--suite is required (see socratic eval --list).")
            : (Policy is null) == (Model is null) ? ValidationResult.Error("Give exactly one of --policy ID or --model PATH.")
            : Adapter is not null && Model is null ? ValidationResult.Error("--adapter applies to --model; a stored policy names its own adapter.")
            : Count is < 1 or > EvaluationRunner.MaxCount ? ValidationResult.Error($"--count must be between 1 and {EvaluationRunner.MaxCount}.")
            : Concurrency is < 1 or > 64 ? ValidationResult.Error("--concurrency must be between 1 and 64.")
            : Context < 16 ? ValidationResult.Error("--context must be at least 16.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            return settings.List ? ListSuites() : await EvaluateAsync(settings, cancellationToken);
        }
        catch (Exception e) when (e is CliException or ModelLoadException or PromptTooLongException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    private static int ListSuites()
    {
        var table = new Table().AddColumns("suite", "what it measures");
        foreach (var suite in EvaluationSuites.All)
        {
            table.AddRow(Markup.Escape(suite.Name), Markup.Escape(suite.Description));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static async Task<int> EvaluateAsync(Settings settings, CancellationToken cancellationToken)
    {
        var suite = EvaluationSuites.Find(settings.Suite!)
            ?? throw new CliException($"Unknown suite '{settings.Suite}'; suites: {string.Join(", ", EvaluationSuites.All.Select(s => s.Name))}.");

        string? database = null;
        PolicySpec spec;
        if (settings.Policy is { } policyId)
        {
            database = CliEnvironment.ResolveDatabase(settings.Database)
                ?? throw new CliException("--policy needs a database: pass --db or set ConnectionStrings__Socratic.");
            await CliEnvironment.MigrateAsync(database, cancellationToken);
            await using var db = new SocraticDbContext(SocraticDb.Options(database));
            var policy = await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == policyId, cancellationToken)
                ?? throw new CliException($"No stored policy with id {policyId}.");
            spec = policy.ToSpec();
        }
        else
        {
            var adapter = settings.Adapter is null ? null
                : File.Exists(settings.Adapter) ? Path.GetFullPath(settings.Adapter) : throw new CliException($"Adapter file not found: {Path.GetFullPath(settings.Adapter)}");
            spec = new PolicySpec(CliEnvironment.ResolveModel(settings.Model)) { ChatTemplate = settings.Template, AdapterPath = adapter };
        }

        var concurrency = Math.Min(settings.Concurrency, settings.Count);
        using var logging = CliEnvironment.Logging(verbose: false);
        await using var provider = CliEnvironment.Runtime(settings.Context, concurrency, settings.Threads);
        await provider.GetAsync(spec, cancellationToken); // a bad model fails here, before any task is played
        AnsiConsole.MarkupLine($"[grey]suite[/] {Markup.Escape(suite.Name)}  [grey]model[/] {Markup.Escape(spec.Key)}  [grey]tasks[/] {settings.Count}  [grey]seed[/] {settings.Seed}");

        EvaluationReport report = null!;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var bar = ctx.AddTask(Markup.Escape(suite.Name), maxValue: settings.Count);
            report = await new EvaluationRunner(provider).RunAsync(suite, spec, settings.Count, settings.Seed, concurrency, () => bar.Increment(1), cancellationToken);
        });

        var (low, high) = report.Interval;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{Markup.Escape(suite.Name)}: accuracy [bold]{report.Accuracy:0.000}[/] ({report.Correct}/{report.Count}), 95% CI [[{low:0.000}, {high:0.000}]]"));

        if (settings.Policy is { } id && database is not null)
        {
            await using var db = new SocraticDbContext(SocraticDb.Options(database));
            var row = await EvaluationRunner.StoreAsync(db, id, report, TimeProvider.System, cancellationToken);
            AnsiConsole.MarkupLine($"stored evaluation {row.Id} for policy {id}");
        }

        return 0;
    }
}

public static class EvaluationCommands
{
    /// <summary>Registers `socratic eval`; shared by Program.cs and the tests.</summary>
    public static void AddEvaluation(IConfigurator c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.AddCommand<EvalCommand>("eval")
            .WithDescription("Play a held-out evaluation suite with a policy or model; prints accuracy with a 95% Wilson interval and stores it for a stored policy.")
            .WithExample("eval", "--model", "models/stories260K.gguf", "--suite", "arithmetic-heldout", "--count", "20")
            .WithExample("eval", "--list");
    }
}
