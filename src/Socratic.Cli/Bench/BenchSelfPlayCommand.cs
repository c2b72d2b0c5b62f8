// `socratic bench selfplay`: in one process and on one model, the reference (one sequence decoded with raw
// LLamaSharp calls) and the engine playing K concurrent one-turn episodes through the batched runtime; prints
// tokens/s and the ratio of each to the reference. Goals (issue "Foundation"): K=1 within 10% of raw,
// K=8 at least 3x raw single-sequence throughput.
using System.ComponentModel;
using System.Diagnostics;
using Socratic.Cli.Hosting;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Inference;
using Socratic.Inference.Benchmarks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Bench;

public sealed class BenchSelfPlayCommand : AsyncCommand<BenchSelfPlayCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <PATH>")]
        [Description("GGUF model. Default: SOCRATIC_MODEL, else the first .gguf in ./models.")]
        public string? Model { get; init; }

        [CommandOption("--tokens <N>")]
        [Description("Tokens generated per sequence (default 128).")]
        public int Tokens { get; init; } = 128;

        [CommandOption("-k|--concurrency <LIST>")]
        [Description("Comma-separated episode counts played at once (default 1,4,8,16).")]
        public string Concurrency { get; init; } = "1,4,8,16";

        [CommandOption("--threads <N>")]
        [Description("CPU threads (default: all cores).")]
        public int Threads { get; init; }

        [CommandOption("--rounds <N>")]
        [Description("Timed rounds per configuration; the median is reported (default 5).")]
        public int Rounds { get; init; } = 5;

        [CommandOption("--flash-attention <MODE>")]
        [Description("auto | on | off, applied to the reference and the engine alike (default: the runtime's default, off on CPU).")]
        public string? FlashAttention { get; init; }

        [CommandOption("--template <NAME>")]
        [Description("Chat template for models without one (default chatml).")]
        public string Template { get; init; } = "chatml";

        [CommandOption("--unified-kv")]
        [Description("Give the engine one KV buffer shared by all sequences (Inference:UnifiedKvCache) instead of one per sequence.")]
        public bool UnifiedKv { get; init; }
    }

    private static readonly string[] Openings =
    [
        "Once upon a time, there was a little girl named Lily.", "One day, a boy named Tim went to the park.",
        "There was a big dog who loved to run.", "Sue had a red ball.", "The sun was hot and the sky was blue.",
        "Ben found a shiny stone.", "A little bird sat on a tree.", "Mom made a cake for Anna.",
    ];

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string model;
        try
        {
            model = CliEnvironment.ResolveModel(settings.Model);
        }
        catch (CliException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }

        var threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        var ks = settings.Concurrency.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        AnsiConsole.MarkupLine($"[grey]model[/] {Markup.Escape(model)}  [grey]threads[/] {threads}  [grey]tokens/sequence[/] {settings.Tokens}  [grey]cores[/] {Environment.ProcessorCount}");

        var options = new InferenceOptions
        {
            ContextSize = 512, MaxSequences = Math.Max(1, ks.Max()), BatchSize = 512, Threads = threads, UnifiedKvCache = settings.UnifiedKv,
            FlashAttention = settings.FlashAttention?.ToLowerInvariant() switch { "on" => true, "off" => false, _ => null },
        };
        var flash = settings.FlashAttention is null ? options.FlashAttention ?? false : options.FlashAttention;
        await using var provider = new LlamaPolicyProvider(options);
        var engine = new GameEngine(provider, new ScorerFactory(provider));
        var spec = new PolicySpec(model) { ChatTemplate = settings.Template };
        var game = new GameDefinition
        {
            Name = "bench",
            Roles = [new RoleDefinition { Name = "writer", Sampling = new SamplingSettings { Temperature = 0, MaxTokens = settings.Tokens } }],
            Protocol = new ProtocolDefinition { MaxTurns = 1, MaxTokensPerTurn = settings.Tokens },
            Tasks = new ListTaskSource { Items = [.. Openings.Select(o => new ListTaskItem { Prompt = o })], Shuffle = false },
        };
        var source = new TaskSourceFactory().Create(game.Tasks);

        // The reference decodes exactly the prompt the engine's first episode sends (chat template applied), so the
        // ratio measures the engine and its batching, not a difference in prompt length.
        var policy = (LlamaPolicy)await provider.GetAsync(spec, cancellationToken);
        var prompt = policy.FormatPrompt(ConversationView.Build(game, source.Draw(0, 1), "writer", []));
        var rounds = Math.Max(1, settings.Rounds);
        var rawRates = Enumerable.Range(0, rounds).Select(_ => RawDecodeBenchmark.Run(model, prompt, settings.Tokens, threads, contextSize: 512, flashAttention: flash).TokensPerSecond).ToList();
        var rawRate = BenchStats.Median(rawRates);
        var table = new Table().AddColumns("what", "sequences", "tokens/round", "tokens/s (median)", "min–max", "ratio to raw");
        table.AddRow("raw LLamaSharp, 1 sequence", "1", settings.Tokens.ToString(), $"{rawRate:0}", $"{rawRates.Min():0}–{rawRates.Max():0}", "1.00");
        var figures = new Dictionary<int, double>();
        foreach (var k in ks)
        {
            _ = await PlayAsync(engine, game, source, spec, k, cancellationToken); // warm-up: model load, first-touch pages
            var rates = new List<double>();
            var tokens = 0;
            for (var r = 0; r < rounds; r++)
            {
                var (t, elapsed) = await PlayAsync(engine, game, source, spec, k, cancellationToken);
                tokens = t;
                rates.Add(t / elapsed.TotalSeconds);
            }

            var rate = BenchStats.Median(rates);
            figures[k] = rate / rawRate;
            var stats = policy.Stats;
            AnsiConsole.MarkupLine($"[grey]K={k} cumulative: {stats.DecodeCalls} decodes, {stats.DecodeTime.TotalSeconds:0.00}s decoding, {stats.SampleTime.TotalSeconds:0.00}s sampling[/]");
            table.AddRow($"engine, K={k} episodes", k.ToString(), tokens.ToString(), $"{rate:0}", $"{rates.Min():0}–{rates.Max():0}", $"{figures[k]:0.00}");
        }

        AnsiConsole.Write(table);
        if (figures.TryGetValue(1, out var one))
        {
            AnsiConsole.MarkupLine($"goal K=1 within 10% of raw: ratio {one:0.00} → {(one >= 0.9 ? "[green]met[/]" : "[red]not met[/]")}");
        }

        if (figures.TryGetValue(8, out var eight))
        {
            AnsiConsole.MarkupLine($"goal K=8 ≥ 3× raw: ratio {eight:0.00} → {(eight >= 3 ? "[green]met[/]" : "[red]not met[/]")}");
        }

        return 0;
    }

    private static async Task<(int Tokens, TimeSpan Elapsed)> PlayAsync(
        GameEngine engine, GameDefinition game, ITaskSource source, PolicySpec spec, int k, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, k).Select(i =>
        {
            var task = source.Draw(i, 1);
            return engine.PlayAsync(new EpisodePlan(game, task, new Dictionary<string, PolicySpec> { ["writer"] = spec }, (ulong)i), null, cancellationToken);
        }));
        return (results.Sum(r => r.CompletionTokens), clock.Elapsed);
    }
}
