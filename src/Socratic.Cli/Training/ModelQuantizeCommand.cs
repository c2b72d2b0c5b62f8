// `socratic model quantize`: writes a quantized copy of a GGUF (llama.cpp's quantizer through LLamaSharp), e.g. the
// F32 model the trainer wrote → Q8_0 for playing and serving (about a quarter of the bytes; on a CPU a single
// sequence decodes roughly that much faster). Training still needs the F32 file: keep it.
using System.ComponentModel;
using Socratic.Cli.Hosting;
using Socratic.Core.Policies;
using Socratic.Inference.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public sealed class ModelQuantizeCommand : Command<ModelQuantizeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <PATH>")]
        [Description("GGUF to quantize (F32, F16 or already quantized).")]
        public string Model { get; init; } = "";

        [CommandOption("-o|--out <PATH>")]
        [Description("GGUF file to write (replaced only when quantization succeeds).")]
        public string Output { get; init; } = "";

        [CommandOption("-t|--type <TYPE>")]
        [Description("q8_0 (default), q6_k, q5_k_m, q5_0, q4_k_m, q4_0 or f16.")]
        public string Type { get; init; } = "q8_0";

        [CommandOption("--threads <T>")]
        [Description("CPU threads (default: all cores).")]
        public int Threads { get; init; } = Environment.ProcessorCount;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? ValidationResult.Error("--model is required.")
            : string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--out is required.")
            : Path.GetFullPath(Model) == Path.GetFullPath(Output) ? ValidationResult.Error("--out must differ from --model.")
            : !ModelQuantizer.Types.Contains(Type.ToLowerInvariant()) ? ValidationResult.Error($"--type must be one of {string.Join(", ", ModelQuantizer.Types)}, not '{Type}'.")
            : Threads < 1 ? ValidationResult.Error("--threads must be positive.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            ModelQuantizer.Quantize(settings.Model, settings.Output, settings.Type, settings.Threads);
            var before = new FileInfo(settings.Model).Length; // the quantizer has checked it exists
            var after = new FileInfo(settings.Output).Length;
            AnsiConsole.MarkupLine(Markup.Escape(
                $"wrote {Path.GetFullPath(settings.Output)}: {settings.Type.ToLowerInvariant()}, {ModelShapes.Human(after)}B ({ModelShapes.Human(before)}B before)"));
            return 0;
        }
        catch (Exception e) when (e is ModelLoadException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
