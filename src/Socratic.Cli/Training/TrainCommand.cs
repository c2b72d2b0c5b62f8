// `socratic train`: fine-tunes a GGUF llama model on a JSONL dataset (SFT, DPO, or GRPO on offline scored
// groups) with our own trainer, showing loss, tokens/s and ETA, and writes a LoRA adapter (default) or a
// whole model (--full). Dataset and model problems are one-line errors with exit code 1.
using Socratic.Cli.Hosting;
using Socratic.Training;
using Socratic.Training.Datasets;
using Socratic.Training.Gguf;
using Socratic.Training.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public sealed class TrainCommand : AsyncCommand<TrainSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Train(settings, cancellationToken));
        }
        catch (Exception e) when (e is CliException or DatasetFormatException or NotSupportedException or InvalidDataException
            or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Task.FromResult(1);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]" + (settings.Checkpoint is null ? "" : $" (resume from {Markup.Escape(settings.Checkpoint)} only as of its last save)"));
            return Task.FromResult(1);
        }
    }

    private static int Train(TrainSettings settings, CancellationToken cancellationToken)
    {
        var model = Require(settings.Model, "Model");
        var data = Require(settings.Data, "Dataset");
        if (settings.Threads > 0)
        {
            TrainingThreads.Max = settings.Threads;
        }

        var plan = new TrainPlan(
            TrainSettings.ParseObjective(settings.Objective)!.Value, model, data, Path.GetFullPath(settings.Output), settings.ToConfig(),
            settings.Epochs, settings.Batch, settings.Sequence, settings.Template == "plain" ? ChatFormat.Plain : ChatFormat.ChatMl,
            settings.Checkpoint, settings.CheckpointEvery);
        if (Path.GetDirectoryName(plan.Output) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Refuse an unsupported base from its metadata before llama.cpp loads its tokenizer, so the message names
        // the real problem (architecture, RoPE scaling …) rather than a tokenizer load failure.
        LlamaConfig.FromGguf(GgufFile.Read(model));
        TrainSession session;
        using (var tokenizer = LlamaTokenizer.Load(model))
        {
            session = TrainSession.Prepare(plan, tokenizer.Tokenize);
        }

        var shape = session.ModelConfig;
        AnsiConsole.MarkupLine(
            $"[grey]model[/] {Markup.Escape(model)} [grey]({shape.Layers} layers, dim {shape.Dim}, vocab {shape.Vocab})[/]  " +
            $"[grey]data[/] {session.Examples} {plan.Objective.ToString().ToLowerInvariant()} examples  " +
            $"[grey]mode[/] {(settings.Full ? "full" : $"LoRA r={settings.LoraRank}")}  [grey]steps[/] {session.TotalSteps}" +
            (session.StartStep > 0 ? $" [grey](resuming at {session.StartStep} with the checkpoint's settings)[/]" : ""));

        TrainOutcome outcome = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("training", maxValue: session.TotalSteps);
                bar.Value = session.StartStep;
                var started = DateTime.UtcNow;
                outcome = session.Run((r, tokens) =>
                {
                    double seconds = (DateTime.UtcNow - started).TotalSeconds;
                    bar.Description = $"step {r.Step}/{session.TotalSteps}  loss {r.Loss:F4}  {(seconds > 0 ? tokens / seconds : 0):F0} tok/s";
                    bar.Value = r.Step;
                }, cancellationToken);
            });

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("steps", outcome.Steps.ToString());
        // A checkpoint that had already reached the last step trains nothing: there is no loss to report.
        table.AddRow("loss", double.IsNaN(outcome.FirstLoss) ? "— (checkpoint was already complete)" : $"{outcome.FirstLoss:F4} → {outcome.LastLoss:F4}");
        table.AddRow("tokens/s", $"{outcome.TokensPerSecond:F0} ({outcome.Tokens} tokens in {outcome.Elapsed.TotalSeconds:F1} s)");
        table.AddRow(settings.Full ? "model" : "adapter", Markup.Escape(plan.Output));
        AnsiConsole.Write(table);
        if (!settings.Full)
        {
            AnsiConsole.MarkupLine($"play with it: [bold]socratic play --model {Markup.Escape(Quote(model))} --adapter {Markup.Escape(Quote(plan.Output))} --game GAME.json[/]");
        }

        return 0;
    }

    private static string Require(string path, string what) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new CliException($"{what} file not found: {Path.GetFullPath(path)}");

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
