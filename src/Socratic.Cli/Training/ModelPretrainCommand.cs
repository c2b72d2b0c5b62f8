// `socratic model pretrain`: makes a model from nothing in one reproducible command. It generates chat-formatted
// arithmetic game dialogues (GameDialogueGenerator, from the game files themselves), creates a random model of the
// preset's shape with the donor's tokenizer and a ChatML chat template, trains every weight on the dialogues
// (loss on the assistant turns and their end marker) and writes the GGUF. One thread by default: the result is
// bit-identical for any thread count, and the machine it runs on is usually shared.
using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Socratic.Cli.Hosting;
using Socratic.Core.Games;
using Socratic.Core.Training;
using Socratic.Training;
using Socratic.Training.Datasets;
using Socratic.Training.Model;
using Socratic.Training.Objectives;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public sealed class ModelPretrainCommand : AsyncCommand<ModelPretrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <PATH>")]
        [Description("GGUF file to write, e.g. models/socratic-micro.gguf.")]
        public string Output { get; init; } = "";

        [CommandOption("--preset <NAME>")]
        [Description("micro (the committed default model; ~20 min on one core) or test (seconds).")]
        public string Preset { get; init; } = "micro";

        [CommandOption("--tokenizer <DONOR>")]
        [Description("GGUF whose tokenizer the model takes (default models/stories260K.gguf: 512 tokens).")]
        public string Tokenizer { get; init; } = "models/stories260K.gguf";

        [CommandOption("--games <LIST>")]
        [Description("Comma-separated arithmetic game files the dialogues come from (default the two in games/).")]
        public string Games { get; init; } = "games/arithmetic-solo.json,games/explorer-critic-arithmetic.json";

        [CommandOption("--dialogues <N>")]
        [Description("Generated dialogues (overrides the preset).")]
        public int? Dialogues { get; init; }

        [CommandOption("-s|--seed <S>")]
        [Description("Seed of the weights, the dialogues and the batch order (default 0).")]
        public int Seed { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Worker threads (default 1); results do not depend on it.")]
        public int Threads { get; init; } = 1;

        [CommandOption("--data-out <FILE>")]
        [Description("Also write the generated dialogues as chat JSONL (for inspection or `socratic train`).")]
        public string? DataOut { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--out is required.")
            : PretrainPreset.Named(Preset) is null ? ValidationResult.Error($"--preset must be micro or test, not '{Preset}'.")
            : Dialogues is < 1 ? ValidationResult.Error("--dialogues must be positive.")
            : Threads < 1 ? ValidationResult.Error("--threads must be positive.")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Pretrain(settings, cancellationToken));
        }
        catch (Exception e) when (e is CliException or GameDefinitionException or DatasetFormatException or InvalidDataException
            or ArgumentException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Task.FromResult(1);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]: nothing was written");
            return Task.FromResult(1);
        }
    }

    private static int Pretrain(Settings settings, CancellationToken cancellationToken)
    {
        var preset = PretrainPreset.Named(settings.Preset)!;
        if (!File.Exists(settings.Tokenizer))
        {
            throw new CliException($"Tokenizer donor not found: {Path.GetFullPath(settings.Tokenizer)}");
        }

        var games = settings.Games.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ReadGame).ToList();
        var records = new GameDialogueGenerator(games).Generate(settings.Dialogues ?? preset.Dialogues, (ulong)settings.Seed).ToList();
        if (settings.DataOut is { } dataOut)
        {
            WriteJsonl(dataOut, records);
        }

        TrainingThreads.Max = settings.Threads;
        var output = Path.GetFullPath(settings.Output);
        if (Path.GetDirectoryName(output) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Tokenized with llama.cpp's tokenizer of the donor (the new model's vocabulary is the donor's), as play will.
        List<TokenizedExample> examples;
        using (var tokenizer = LlamaTokenizer.Load(settings.Tokenizer))
        {
            var encoder = new ChatEncoder(tokenizer.Tokenize, ChatFormat.ChatMl, preset.Shape.ContextLength, "generated dialogues");
            examples = [.. records.Select(encoder.Encode)];
        }

        var name = Path.GetFileNameWithoutExtension(output);
        var model = ModelFactory.CreateLlama(preset.Shape, settings.Tokenizer, settings.Seed, ModelShapes.ChatMlTemplate, output, name);
        int steps = (examples.Count + preset.Batch - 1) / preset.Batch;
        var trainer = new Trainer(model, new TrainerConfig(
            Mode: TrainingMode.Full, LearningRate: preset.LearningRate, WeightDecay: 0.01f, WarmupSteps: preset.WarmupSteps,
            TotalSteps: steps, Seed: settings.Seed));
        var c = model.Config;
        long parameters = model.BaseParams().Sum(p => (long)p.Data.Length);
        AnsiConsole.MarkupLine(
            $"[grey]model[/] {c.Layers} layers, dim {c.Dim}, {c.Heads} heads, {c.KvHeads} kv heads, ffn {c.FfnDim}, vocab {c.Vocab} " +
            $"({ModelShapes.Human(parameters)} parameters)  [grey]data[/] {records.Count} examples, {examples.Sum(e => (long)e.Tokens.Length):N0} tokens  " +
            $"[grey]steps[/] {steps}");

        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("pre-training", maxValue: steps);
                trainer.Run(examples, preset.Batch, trainer.TrainSft, r =>
                {
                    losses.Add(r.Loss);
                    bar.Description = $"step {r.Step}/{steps}  loss {Recent(losses):F4}";
                    bar.Value = r.Step;
                }, cancellationToken);
            });
        clock.Stop();
        trainer.SaveModel(output, name);

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("steps", steps.ToString());
        table.AddRow("loss", $"{losses[0]:F4} → {Recent(losses):F4} (mean of the last {Math.Min(losses.Count, RecentSteps)} steps)");
        table.AddRow("time", $"{clock.Elapsed.TotalMinutes:F1} min, {examples.Sum(e => (long)e.Tokens.Length) / clock.Elapsed.TotalSeconds:F0} tok/s");
        table.AddRow("model", Markup.Escape(output));
        table.AddRow("sha256", Sha256(output));
        AnsiConsole.Write(table);
        return 0;
    }

    private const int RecentSteps = 20;

    private static double Recent(List<double> losses) => losses.TakeLast(RecentSteps).Average();

    private static GameDefinition ReadGame(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"Game file not found: {Path.GetFullPath(path)}");
        }

        try
        {
            return GameJson.Parse(File.ReadAllText(path));
        }
        catch (GameDefinitionException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteJsonl(string path, IEnumerable<ChatRecord> records)
    {
        using var writer = new StreamWriter(path);
        foreach (var r in records)
        {
            writer.WriteLine(JsonSerializer.Serialize(new { messages = r.Messages.Select(m => new { role = m.Role, content = m.Content }) }, Readable));
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
