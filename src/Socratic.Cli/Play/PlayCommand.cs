// `socratic play`: plays N episodes of a game on a model, K at a time (batched decoding), shows progress, then
// prints each transcript with its scores. With a database (--db or ConnectionStrings__Socratic) the game, policy,
// run, episodes, turns and scores are stored exactly as the web host's job stores them (RunPlayer).
using System.ComponentModel;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Socratic.Cli.Hosting;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Inference;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Play;

public sealed class PlayCommand : AsyncCommand<PlayCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-g|--game <FILE|ID>")]
        [Description("A game definition JSON file, or the id of a stored game (needs a database).")]
        public string Game { get; init; } = "";

        [CommandOption("-m|--model <PATH>")]
        [Description("GGUF model. Default: SOCRATIC_MODEL, else the first .gguf in ./models.")]
        public string? Model { get; init; }

        [CommandOption("--adapter <PATH>")]
        [Description("LoRA adapter GGUF applied to --model (e.g. from `socratic train`). Not stored yet: use with --no-store or without a database.")]
        public string? Adapter { get; init; }

        [CommandOption("-n|--episodes <N>")]
        [Description("Episodes to play (default 1).")]
        public int Episodes { get; init; } = 1;

        [CommandOption("-s|--seed <S>")]
        [Description("Run seed; episode seeds derive from it (default: random).")]
        public long? Seed { get; init; }

        [CommandOption("-k|--concurrency <K>")]
        [Description("Episodes played at once with batched decoding (default 8).")]
        public int Concurrency { get; init; } = 8;

        [CommandOption("--template <NAME>")]
        [Description("Chat template for models without one: a llama.cpp name (chatml, llama2, …) or Jinja text (default chatml).")]
        public string Template { get; init; } = "chatml";

        [CommandOption("--db <CONNECTION>")]
        [Description("PostgreSQL connection string to store into. Default: ConnectionStrings__Socratic.")]
        public string? Database { get; init; }

        [CommandOption("--no-store")]
        [Description("Do not store, even when a database is configured.")]
        public bool NoStore { get; init; }

        [CommandOption("--context <TOKENS>")]
        [Description("Context per episode in tokens (default 512).")]
        public int Context { get; init; } = 512;

        [CommandOption("--threads <N>")]
        [Description("CPU threads for decoding (default: all cores).")]
        public int Threads { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Game) ? ValidationResult.Error("--game is required (a JSON file or a stored game id).")
            : Episodes < 1 ? ValidationResult.Error("--episodes must be at least 1.")
            : Concurrency is < 1 or > 64 ? ValidationResult.Error("--concurrency must be between 1 and 64.")
            : Context < 16 ? ValidationResult.Error("--context must be at least 16.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await PlayAsync(settings, cancellationToken);
        }
        catch (Exception e) when (e is CliException or GameDefinitionException or ModelLoadException or PromptTooLongException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            if (e is GameDefinitionException g)
            {
                foreach (var error in g.Errors)
                {
                    AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(error.Field)}[/]: {Markup.Escape(error.Message)}");
                }
            }

            return 1;
        }
    }

    private static async Task<int> PlayAsync(Settings settings, CancellationToken cancellationToken)
    {
        var model = CliEnvironment.ResolveModel(settings.Model);
        var database = settings.NoStore ? null : CliEnvironment.ResolveDatabase(settings.Database);
        var adapter = settings.Adapter is null ? null
            : File.Exists(settings.Adapter) ? Path.GetFullPath(settings.Adapter) : throw new CliException($"Adapter file not found: {Path.GetFullPath(settings.Adapter)}");
        if (adapter is not null && database is not null)
        {
            // Stored runs name their policy in the database, which has no adapter yet; storing the base would mislabel them.
            throw new CliException("--adapter runs cannot be stored yet; add --no-store.");
        }

        var seed = settings.Seed ?? Random.Shared.NextInt64();
        var concurrency = Math.Min(settings.Concurrency, settings.Episodes);
        using var logging = CliEnvironment.Logging(verbose: false);
        await using var provider = CliEnvironment.Runtime(settings.Context, concurrency, settings.Threads);
        var engine = new GameEngine(provider, new ScorerFactory(provider));
        var spec = new PolicySpec(model) { ChatTemplate = settings.Template, AdapterPath = adapter };

        // Fail on a bad model before anything is stored.
        await provider.GetAsync(spec, cancellationToken);
        AnsiConsole.MarkupLine($"[grey]model[/] {Markup.Escape(model)}{(adapter is null ? "" : " + " + Markup.Escape(adapter))}  [grey]seed[/] {seed}  [grey]episodes[/] {settings.Episodes}  [grey]concurrency[/] {concurrency}");

        return database is null
            ? await PlayUnstoredAsync(settings, engine, spec, seed, concurrency, cancellationToken)
            : await PlayStoredAsync(settings, database, engine, provider, model, seed, concurrency, cancellationToken);
    }

    private static async Task<int> PlayUnstoredAsync(Settings settings, GameEngine engine, PolicySpec spec, long seed, int concurrency, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Game))
        {
            throw new CliException($"Game file not found: {settings.Game} (a stored game id needs a database: --db or ConnectionStrings__Socratic).");
        }

        var game = GameValidator.Load(await File.ReadAllTextAsync(settings.Game, cancellationToken));
        var source = new TaskSourceFactory().Create(game.Tasks!);
        var results = new ConcurrentDictionary<int, (GameTask Task, EpisodeResult Result)>();
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var bar = ctx.AddTask($"{Markup.Escape(game.Name)}", maxValue: settings.Episodes);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, settings.Episodes),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (ordinal, ct) =>
                {
                    var episodeSeed = Seeds.Episode(unchecked((ulong)seed), ordinal);
                    var task = source.Draw(ordinal, episodeSeed);
                    var plan = new EpisodePlan(game, task, game.Roles.ToDictionary(r => r.Name, _ => spec), episodeSeed);
                    results[ordinal] = (task, await engine.PlayAsync(plan, null, ct));
                    bar.Increment(1);
                });
        });

        var roles = game.Roles.Select(r => r.Name).ToList();
        foreach (var (ordinal, (task, result)) in results.OrderBy(r => r.Key))
        {
            TranscriptPrinter.Print(AnsiConsole.Console, $"episode {ordinal}", task.Prompt, result, roles);
        }

        PrintSummary([.. results.Values.Select(r => r.Result)]);
        return 0;
    }

    private static async Task<int> PlayStoredAsync(
        Settings settings, string database, GameEngine engine, LlamaPolicyProvider provider, string model, long seed, int concurrency, CancellationToken cancellationToken)
    {
        await CliEnvironment.MigrateAsync(database, cancellationToken);
        var options = SocraticDb.Options(database);
        var dbFactory = new PooledDbContextFactory<SocraticDbContext>(options);
        var time = TimeProvider.System;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        long versionId;
        if (File.Exists(settings.Game))
        {
            versionId = (await new GameCatalog(db, time).SaveAsync(await File.ReadAllTextAsync(settings.Game, cancellationToken), null, "cli", cancellationToken)).VersionId;
        }
        else if (long.TryParse(settings.Game, out var gameId))
        {
            versionId = await db.GameVersions.Where(v => v.GameId == gameId).OrderByDescending(v => v.Version).Select(v => v.Id).FirstOrDefaultAsync(cancellationToken);
            if (versionId == 0)
            {
                throw new CliException($"No stored game with id {gameId}.");
            }
        }
        else
        {
            throw new CliException($"Game file not found: {settings.Game}");
        }

        var game = GameJson.Parse((await db.GameVersions.SingleAsync(v => v.Id == versionId, cancellationToken)).Definition);
        var policy = await PolicyRegistry.EnsureBaseModelAsync(db, model, settings.Template, time, cancellationToken);
        var run = new Run
        {
            PolicyId = policy.Id, EpisodeCount = settings.Episodes, Concurrency = concurrency, Seed = seed, CreatedAt = time.GetUtcNow(), CreatedBy = "cli",
            Games = [new RunGame { GameVersionId = versionId }],
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        AnsiConsole.MarkupLine($"[grey]storing run[/] {run.Id} [grey]in[/] {Markup.Escape(db.Database.GetDbConnection().Database)}");

        using var logging = CliEnvironment.Logging(verbose: false);
        var player = new RunPlayer(dbFactory, provider, new TaskSourceFactory(), engine, new EpisodeStore(dbFactory, time), time,
            logging.CreateLogger<RunPlayer>());
        var events = new CollectingEvents();
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var bar = ctx.AddTask($"{Markup.Escape(game.Name)} (run {run.Id})", maxValue: settings.Episodes);
            events.OnProgress = (completed, failed) => bar.Value = completed + failed;
            await player.PlayAsync(run.Id, events, cancellationToken);
        });

        await db.Entry(run).ReloadAsync(cancellationToken);
        var episodes = await db.Episodes.AsNoTracking().Where(e => e.RunId == run.Id).OrderBy(e => e.Ordinal).ToListAsync(cancellationToken);
        var roles = game.Roles.Select(r => r.Name).ToList();
        foreach (var episode in episodes)
        {
            if (events.Results.TryGetValue(episode.Id, out var result))
            {
                var task = System.Text.Json.JsonSerializer.Deserialize<GameTask>(episode.Task)!;
                TranscriptPrinter.Print(AnsiConsole.Console, $"episode {episode.Ordinal} (id {episode.Id})", task.Prompt, result, roles);
            }
        }

        PrintSummary([.. events.Results.Values]);
        AnsiConsole.MarkupLine($"run {run.Id}: [bold]{run.Status}[/]{(run.Error is null ? "" : " — " + Markup.Escape(run.Error))}");
        return run.Status == RunStatus.Completed ? 0 : 1;
    }

    private static void PrintSummary(IReadOnlyList<EpisodeResult> results)
    {
        var table = new Table().AddColumns("role", "scorer", "episodes", "mean", "grounded");
        foreach (var g in results.SelectMany(r => r.Scores).GroupBy(s => (s.Role, s.Scorer)).OrderBy(g => g.Key))
        {
            table.AddRow(Markup.Escape(g.Key.Role), Markup.Escape(g.Key.Scorer), g.Count().ToString(), g.Average(s => s.Value).ToString("0.###"), g.All(s => s.Grounded) ? "yes" : "no");
        }

        table.AddRow("[grey]tokens[/]", "", results.Count.ToString(), results.Sum(r => r.CompletionTokens).ToString(), "");
        AnsiConsole.Write(table);
    }

    private sealed class CollectingEvents : IRunEvents
    {
        public ConcurrentDictionary<long, EpisodeResult> Results { get; } = new();

        public Action<int, int>? OnProgress { get; set; }

        public IEpisodeEvents Episode(long runId, long episodeId, int ordinal, int attempt) => new Collector(this, episodeId);

        public void Progress(long runId, RunStatus status, int completed, int failed, int total, string? error) => OnProgress?.Invoke(completed, failed);

        private sealed class Collector(CollectingEvents owner, long episodeId) : EpisodeObserver, IEpisodeEvents
        {
            public void Started()
            {
            }

            public void Finished(EpisodeStatus status, EpisodeResult? result, string? error)
            {
                if (result is not null)
                {
                    owner.Results[episodeId] = result;
                }
            }
        }
    }
}
