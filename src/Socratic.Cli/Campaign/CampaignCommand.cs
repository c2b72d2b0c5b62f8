// `socratic campaign --preset micro`: the closed loop as one reproducible experiment on a CPU, nothing downloaded.
// Makes a small model and pre-trains it on easy tasks (or takes --model PATH), runs generations of self-play on
// harder tasks with grounded scoring, curation, training and held-out evaluation (MicroCampaign), and writes
// results.json, README.md and accuracy.png to --out (CampaignReport).
using System.ComponentModel;
using System.Globalization;
using Socratic.Cli.Hosting;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Inference;
using Socratic.Training.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Campaign;

public sealed class CampaignCommand : AsyncCommand<CampaignCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <NAME>")]
        [Description("micro (the experiment in docs/experiments/micro: ~20 min on 2 cores) or test (seconds).")]
        public string Preset { get; init; } = "micro";

        [CommandOption("-m|--model <PATH>")]
        [Description("Run the loop on this GGUF (any llama/qwen2/qwen3 chat model, ChatML prompts) instead of making and pre-training one; trains LoRA adapters unless --full.")]
        public string? Model { get; init; }

        [CommandOption("-g|--generations <N>")]
        [Description("Generations of self-play + training after generation 0 (default: the preset's, 3 for micro).")]
        public int? Generations { get; init; }

        [CommandOption("-e|--episodes <N>")]
        [Description("Self-play tasks per generation (default: the preset's, 1024 for micro); each is attempted --samples times.")]
        public int? Episodes { get; init; }

        [CommandOption("-k|--samples <K>")]
        [Description("Sampled attempts per self-play task (default: the preset's, 8 for micro).")]
        public int? Samples { get; init; }

        [CommandOption("--eval-count <N>")]
        [Description("Held-out tasks per evaluation suite, played greedily (default: the preset's, 200 for micro).")]
        public int? EvalCount { get; init; }

        [CommandOption("--pretrain-dialogues <N>")]
        [Description("Solved easy dialogues the new model is pre-trained on, one pass, 8 per step (default: the preset's, 24000 for micro). Ignored with --model.")]
        public int? PretrainDialogues { get; init; }

        [CommandOption("--temperature <T>")]
        [Description("Self-play sampling temperature (default: the preset's, 0.7 for micro).")]
        public float? Temperature { get; init; }

        [CommandOption("--full")]
        [Description("Fine-tune every weight (a model per generation). Default: full for a model made here, LoRA for --model.")]
        public bool? Full { get; init; }

        [CommandOption("--verify <CHECK>")]
        [Description("Process check before an attempt is curated: derivation (the exact carry-rest working the micro pre-training teaches; default for a model made here), equations (true equations and an answer that follows from them; default with --model) or answer (none: the grounded answer alone decides).")]
        public string? Verify { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Where the report goes: README.md, results.json, accuracy.png (default docs/experiments/<preset>).")]
        public string? Output { get; init; }

        [CommandOption("--work <DIR>")]
        [Description("Where models, adapters and curated datasets go (default .campaign/<preset>; not part of the report).")]
        public string? Work { get; init; }

        [CommandOption("--tokenizer <DONOR>")]
        [Description("GGUF whose tokenizer a model made here takes (default models/stories260K.gguf).")]
        public string Tokenizer { get; init; } = "models/stories260K.gguf";

        [CommandOption("-s|--seed <S>")]
        [Description("Seed of the weights, tasks, sampling and evaluation tasks (default 0).")]
        public int Seed { get; init; }

        [CommandOption("--threads <T>")]
        [Description("CPU threads for decoding and training (default 2).")]
        public int Threads { get; init; } = 2;

        [CommandOption("--concurrency <K>")]
        [Description("Episodes decoded at once with batched decoding (default 32).")]
        public int Concurrency { get; init; } = 32;

        public override ValidationResult Validate() =>
            CampaignPreset.Named(Preset) is null ? ValidationResult.Error($"--preset must be micro or test, not '{Preset}'.")
            : Generations is < 1 or > 50 ? ValidationResult.Error("--generations must be between 1 and 50.")
            : Episodes is < 1 or > 100_000 ? ValidationResult.Error("--episodes must be between 1 and 100000.")
            : Samples is < 1 or > 64 ? ValidationResult.Error("--samples must be between 1 and 64.")
            : EvalCount is < 1 or > 100_000 ? ValidationResult.Error("--eval-count must be between 1 and 100000.")
            : PretrainDialogues is < 1 or > 1_000_000 ? ValidationResult.Error("--pretrain-dialogues must be between 1 and 1000000.")
            : Temperature is < 0.05f or > 2f ? ValidationResult.Error("--temperature must be between 0.05 and 2.")
            : Verify is not null and not "derivation" and not "equations" and not "answer" ? ValidationResult.Error($"--verify must be derivation, equations or answer, not '{Verify}'.")
            : Threads < 1 ? ValidationResult.Error("--threads must be positive.")
            : Concurrency is < 1 or > 64 ? ValidationResult.Error("--concurrency must be between 1 and 64.")
            : Model is not null && !File.Exists(Model) ? ValidationResult.Error($"--model: file not found: {Path.GetFullPath(Model)}")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return await RunAsync(settings, cancellationToken);
        }
        catch (Exception e) when (e is CliException or ModelLoadException or PromptTooLongException or GameDefinitionException
            or DatasetFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]: no report was written");
            return 1;
        }
    }

    private static async Task<int> RunAsync(Settings s, CancellationToken cancellationToken)
    {
        var basePreset = CampaignPreset.Named(s.Preset)!;
        var preset = basePreset with
        {
            Generations = s.Generations ?? basePreset.Generations,
            TasksPerGeneration = s.Episodes ?? basePreset.TasksPerGeneration,
            SamplesPerTask = s.Samples ?? basePreset.SamplesPerTask,
            EvalCount = s.EvalCount ?? basePreset.EvalCount,
            Temperature = s.Temperature ?? basePreset.Temperature,
            PretrainDialogues = s.PretrainDialogues ?? basePreset.PretrainDialogues,
        };
        if (s.Model is null && !File.Exists(s.Tokenizer))
        {
            throw new CliException($"Tokenizer donor not found: {Path.GetFullPath(s.Tokenizer)} (pass --tokenizer, or --model to skip making a model).");
        }

        var output = s.Output ?? Path.Combine("docs", "experiments", preset.Name);
        var work = s.Work ?? Path.Combine(".campaign", preset.Name);
        var verify = (s.Verify ?? (s.Model is null ? "derivation" : "equations")) switch
        {
            "derivation" => WorkingVerification.Derivation,
            "answer" => WorkingVerification.Answer,
            _ => WorkingVerification.Equations,
        };
        var options = new CampaignOptions(preset, s.Model, s.Tokenizer, work, s.Seed, s.Threads, s.Concurrency, s.Full ?? s.Model is null, verify);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"campaign {preset.Name}: {(s.Model is null ? "make + pre-train a model on " + CampaignPreset.Describe(preset.Pretraining) : "model " + s.Model)}; " +
            $"{preset.Generations} generations × {preset.TasksPerGeneration} tasks × {preset.SamplesPerTask} attempts on {preset.DescribeCurriculum()}; " +
            $"{preset.EvalCount} held-out tasks per suite on {CampaignPreset.Describe(preset.Hard)} and {CampaignPreset.Describe(preset.Easy)}; report → {output}")));

        using var logging = CliEnvironment.Logging(verbose: false);
        var result = await new MicroCampaign(options, new ConsoleProgress()).RunAsync(cancellationToken);
        CampaignReport.Write(output, result, Command(s, preset, basePreset));
        AnsiConsole.MarkupLine(Markup.Escape(CampaignReport.Verdict(result)));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Path.Combine(output, CampaignReport.Readme)}, {CampaignReport.Json}, {CampaignReport.Plot} ({result.TotalSeconds / 60:0.0} min)")));
        return 0;
    }

    /// <summary>The command line that reproduces the run (options that differ from the preset only).</summary>
    private static string Command(Settings s, CampaignPreset preset, CampaignPreset basePreset)
    {
        var parts = new List<string> { "socratic campaign", "--preset", preset.Name };
        void Add(bool differs, string name, object value)
        {
            if (differs)
            {
                parts.Add(name);
                parts.Add(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            }
        }

        Add(s.Model is not null, "--model", s.Model ?? "");
        Add(preset.Generations != basePreset.Generations, "--generations", preset.Generations);
        Add(preset.TasksPerGeneration != basePreset.TasksPerGeneration, "--episodes", preset.TasksPerGeneration);
        Add(preset.SamplesPerTask != basePreset.SamplesPerTask, "--samples", preset.SamplesPerTask);
        Add(preset.EvalCount != basePreset.EvalCount, "--eval-count", preset.EvalCount);
        Add(preset.Temperature != basePreset.Temperature, "--temperature", preset.Temperature);
        Add(s.Model is null && preset.PretrainDialogues != basePreset.PretrainDialogues, "--pretrain-dialogues", preset.PretrainDialogues);
        Add(s.Seed != 0, "--seed", s.Seed);
        Add(s.Verify is not null && s.Verify != (s.Model is null ? "derivation" : "equations"), "--verify", s.Verify ?? "");
        if (s.Full is true)
        {
            parts.Add("--full");
        }

        return string.Join(' ', parts);
    }

    private sealed class ConsoleProgress : ICampaignProgress
    {
        public void Stage(string text) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

        public IDisposable Bar(string text, int total, out Action<string?> done)
        {
            // A plain counter line (Spectre's live progress would fight over the terminal with parallel callbacks).
            var count = 0;
            var gate = new object();
            var every = Math.Max(1, total / 10);
            var started = DateTime.UtcNow;
            AnsiConsole.MarkupLine($"{Markup.Escape(text)} …");
            done = note =>
            {
                lock (gate)
                {
                    count++;
                    if (count % every == 0 || count == total)
                    {
                        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"  {count}/{total}{(note is null ? "" : "  " + note)}  {(DateTime.UtcNow - started).TotalSeconds:0}s")));
                    }
                }
            };
            return new Done();
        }

        public void Generation(GenerationResult row)
        {
            var table = new Table().AddColumns("gen", "held-out hard", "held-out easy", "game score", "distinct-2", "self-BLEU", "meta-critic", "wall");
            table.AddRow(
                row.Generation.ToString(CultureInfo.InvariantCulture),
                Format(row.Evaluation[0]), Format(row.Evaluation[1]),
                row.GameScore is { } g ? g.ToString("0.000", CultureInfo.InvariantCulture) : "—",
                row.Diversity is { } d ? d.Distinct2.ToString("0.000", CultureInfo.InvariantCulture) : "—",
                row.Diversity is { } d2 ? d2.SelfBleu.ToString("0.000", CultureInfo.InvariantCulture) : "—",
                Markup.Escape(row.Generation == 0 ? "—" : row.Decisions.Count == 0 ? "no proposal" : string.Join(", ", row.Decisions.Select(x => x.Kind))),
                (row.Seconds / 60).ToString("0.0 'min'", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
        }

        private static string Format(SuiteResult s) =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Accuracy:0.000} [[{s.Low:0.000}, {s.High:0.000}]]");

        private sealed class Done : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
