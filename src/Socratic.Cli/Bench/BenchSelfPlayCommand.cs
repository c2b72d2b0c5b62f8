// `socratic bench selfplay`: in one process and on one model, the references (one sequence, and K sequences in
// one batch, decoded with bare LLamaSharp calls) and the engine playing K concurrent one-turn episodes through the
// batched runtime, in alternating rounds; prints tokens/s and the median per-round ratio of each to the one-sequence
// reference. Goals (issue "Foundation"): K=1 within 10% of raw, K=8 at least 3x raw single-sequence throughput.
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
        [Description("Timed rounds per configuration, each one reference run and one engine run; medians are reported (default 5).")]
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

        // The references decode exactly the prompts the engine's episodes send (chat template applied), so the ratios
        // measure the engine and its batching, not a difference in prompt length.
        var policy = (LlamaPolicy)await provider.GetAsync(spec, cancellationToken);
        var prompts = Enumerable.Range(0, options.MaxSequences)
            .Select(i => policy.FormatPrompt(ConversationView.Build(game, source.Draw(i, 1), "writer", [])))
            .ToArray();
        var rounds = Math.Max(1, settings.Rounds);
        using var raw = RawDecodeBenchmark.Load(model, threads, options.MaxSequences, options.ContextSize, flash);
        var table = new Table().AddColumns("what", "K", "tok/s", "min–max", "× raw 1 seq", "÷ raw batched");
        var single = new List<double>();
        var rows = new List<string[]>();
        var figures = new Dictionary<int, double>();
        foreach (var k in ks)
        {
            // Warm-up (model load, first-touch pages), then rounds that alternate reference and engine, so a change in the
            // machine's load between them shifts both sides of each round's ratio alike.
            _ = raw.Decode(prompts[..k], settings.Tokens);
            _ = await PlayAsync(engine, game, source, spec, k, cancellationToken);
            var (one, batched, played, ratios, vsBatched) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
            var engineTokens = 0;
            for (var r = 0; r < rounds; r++)
            {
                one.Add(raw.Decode([prompts[0]], settings.Tokens).TokensPerSecond);
                if (k > 1)
                {
                    batched.Add(raw.Decode(prompts[..k], settings.Tokens).TokensPerSecond);
                }

                var (t, elapsed) = await PlayAsync(engine, game, source, spec, k, cancellationToken);
                played.Add(t / elapsed.TotalSeconds);
                engineTokens = t;
                ratios.Add(played[^1] / one[^1]);
                vsBatched.Add(k > 1 ? played[^1] / batched[^1] : played[^1] / one[^1]);
            }

            single.AddRange(one);
            figures[k] = BenchStats.Median(ratios);
            var stats = policy.Stats;
            AnsiConsole.MarkupLine($"[grey]K={k}: engine {engineTokens} tokens/round (of {k * settings.Tokens}); cumulative {stats.DecodeCalls} decodes, {stats.DecodeTime.TotalSeconds:0.00}s decoding, {stats.SampleTime.TotalSeconds:0.00}s sampling[/]");
            if (k > 1)
            {
                rows.Add([$"raw, {k} batched", k.ToString(), $"{BenchStats.Median(batched):0}", $"{batched.Min():0}–{batched.Max():0}",
                    $"{BenchStats.Median([.. batched.Select((b, i) => b / one[i])]):0.00}", ""]);
            }

            rows.Add([$"engine, {k} episode{(k == 1 ? "" : "s")}", k.ToString(), $"{BenchStats.Median(played):0}", $"{played.Min():0}–{played.Max():0}",
                $"[bold]{figures[k]:0.00}[/]", $"{BenchStats.Median(vsBatched):0.00}"]);
        }

        table.AddRow("raw, 1 sequence", "1", $"{BenchStats.Median(single):0}", $"{single.Min():0}–{single.Max():0}", "1.00", "");
        foreach (var row in rows)
        {
            table.AddRow(row);
        }

        AnsiConsole.Write(table);
        if (figures.TryGetValue(1, out var atOne))
        {
            AnsiConsole.MarkupLine($"goal K=1 within 10% of raw: ratio {atOne:0.00} → {(atOne >= 0.9 ? "[green]met[/]" : "[red]not met[/]")}");
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
