// `socratic bench train`: in one run on one model, the trainer's LoRA training tokens/s (forward + backward +
// AdamW on one sequence per step) against llama.cpp's prompt-processing tokens/s for the same tokens through
// LLamaSharp, their ratio and the peak memory of each phase. A forward + backward costs about three forwards, so a
// ratio of 0.33 would equal llama.cpp's kernels; the goal (issue "Training") is ≥ 0.25 on 2 cores, training peak < 2 GB.
// Without --model it makes the issue's model: SmolLM2-135M's shape with random weights and the donor's vocabulary.
using System.ComponentModel;
using System.Diagnostics;
using Socratic.Cli.Training;
using Socratic.Inference.Benchmarks;
using Socratic.Training;
using Socratic.Training.Model;
using Socratic.Training.Objectives;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Bench;

public sealed class BenchTrainCommand : AsyncCommand<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <PATH>")]
        [Description("GGUF to benchmark. Default: a random SmolLM2-135M-shaped model with --tokenizer's vocabulary (written to a temporary file).")]
        public string? Model { get; init; }

        [CommandOption("--tokenizer <DONOR>")]
        [Description("Vocabulary donor when --model is not given, e.g. llama-2-tiny-random.gguf (32,000 tokens).")]
        public string? Tokenizer { get; init; }

        [CommandOption("--seq <TOKENS>")]
        [Description("Sequence length (default 256).")]
        public int Sequence { get; init; } = 256;

        [CommandOption("--steps <N>")]
        [Description("Timed training steps and llama.cpp rounds, after one warm-up each (default 3); medians are reported.")]
        public int Steps { get; init; } = 3;

        [CommandOption("--lora-rank <R>")]
        [Description("LoRA rank on attn_q, attn_k, attn_v, attn_output (default 8).")]
        public int LoraRank { get; init; } = 8;

        [CommandOption("--threads <N>")]
        [Description("Threads for both sides (default: all cores).")]
        public int Threads { get; init; }

        public override ValidationResult Validate() =>
            Model is null && Tokenizer is null ? ValidationResult.Error("--model or --tokenizer is required.")
            : Sequence < 2 || Steps < 1 || LoraRank < 1 ? ValidationResult.Error("--seq must be at least 2, --steps and --lora-rank positive.")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        TrainingThreads.Max = threads;
        string? temporary = null;
        try
        {
            LlamaModel model;
            string path;
            if (settings.Model is { } given)
            {
                path = given;
                model = LlamaModel.Load(path);
            }
            else
            {
                temporary = path = Path.Combine(Path.GetTempPath(), $"socratic-bench-{Environment.ProcessId}.gguf");
                ModelFactory.CreateLlama(ModelShapes.SmolLm2_135M, settings.Tokenizer!, seed: 0, ModelShapes.ChatMlTemplate, path, "bench-smollm2-135m");
                // Making and writing the model holds extra copies of every tensor; training never does. Give that memory
                // back to the OS and load the file as a user's model is loaded, so the peak below is training's alone.
                ReleaseMemory();
                model = LlamaModel.Load(path);
            }

            var c = model.Config;
            long parameters = model.BaseParams().Sum(p => (long)p.Data.Length);
            AnsiConsole.MarkupLine(
                $"[grey]model[/] {Markup.Escape(path)} ({c.Arch}, {c.Layers} layers, dim {c.Dim}, vocab {c.Vocab}, {ModelShapes.Human(parameters)} parameters)  " +
                $"[grey]seq[/] {settings.Sequence}  [grey]threads[/] {threads} of {Environment.ProcessorCount} cores  [grey]load[/] {LoadAverage()}");

            ReleaseMemory();
            ResetPeakWorkingSet();
            var rng = new Random(1);
            var tokens = Enumerable.Range(0, settings.Sequence).Select(_ => rng.Next(3, c.Vocab)).ToArray();
            var example = new TokenizedExample(tokens, [.. tokens.Select(_ => true)]);
            var trainer = new Trainer(model, new TrainerConfig(
                Lora: new LoraConfig(Rank: settings.LoraRank, Alpha: 2 * settings.LoraRank, Targets: ["attn_q", "attn_k", "attn_v", "attn_output"]),
                TotalSteps: settings.Steps + 1));
            var trainRates = new List<double>();
            for (int step = -1; step < settings.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                trainer.TrainSft([example]);
                clock.Stop();
                if (step >= 0) trainRates.Add(tokens.Length / clock.Elapsed.TotalSeconds);
            }

            long trainPeak = PeakWorkingSet();
            var ppRates = PromptProcessingBenchmark.Run(path, tokens, threads, settings.Steps);
            long totalPeak = PeakWorkingSet();
            double train = BenchStats.Median(trainRates), pp = BenchStats.Median(ppRates), ratio = train / pp;

            var table = new Table().AddColumns("what", "tokens/s (median)", "min–max");
            table.AddRow($"trainer, LoRA r={settings.LoraRank} (forward + backward + AdamW)", $"{train:0}", $"{trainRates.Min():0}–{trainRates.Max():0}");
            table.AddRow("llama.cpp prompt processing (LLamaSharp)", $"{pp:0}", $"{ppRates.Min():0}–{ppRates.Max():0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"ratio {ratio:0.000} (0.33 ≈ llama.cpp's kernels) → goal ≥ 0.25 {(ratio >= 0.25 ? "[green]met[/]" : "[red]not met[/]")}");
            AnsiConsole.MarkupLine(
                $"peak memory: {trainPeak / (1 << 20):N0} MiB after training (goal < 2 GB {(trainPeak < 2L << 30 ? "[green]met[/]" : "[red]not met[/]")}), " +
                $"{totalPeak / (1 << 20):N0} MiB with llama.cpp's copy loaded too  [grey]load now[/] {LoadAverage()}");
            return Task.FromResult(0);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Task.FromResult(1);
        }
        finally
        {
            if (temporary is not null) File.Delete(temporary);
        }
    }

    /// <summary>A compacting full collection that also returns the freed pages to the OS (resident set, not just heap).</summary>
    private static void ReleaseMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Linux: writing 5 to /proc/self/clear_refs resets the peak resident set (VmHWM) to the current one.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Elsewhere the peak includes model creation; the figure is then an upper bound.
        }
    }

    private static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.PeakWorkingSet64;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
