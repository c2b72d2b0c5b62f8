// `socratic model new`: writes a random-weight llama/qwen2/qwen3 GGUF of a preset or custom shape, borrowing the
// tokenizer (and vocabulary size) from a donor GGUF. A starting point for training from scratch and for tests.
using System.ComponentModel;
using Socratic.Cli.Hosting;
using Socratic.Training;
using Socratic.Training.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public sealed class ModelNewCommand : AsyncCommand<ModelNewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <PATH>")]
        [Description("GGUF file to write.")]
        public string Output { get; init; } = "";

        [CommandOption("--tokenizer <DONOR>")]
        [Description("GGUF whose tokenizer (and vocabulary size) the new model takes, e.g. llama-2-tiny-random.gguf.")]
        public string Tokenizer { get; init; } = "";

        [CommandOption("--shape <NAME>")]
        [Description("tiny (4 layers, dim 128; default), smollm2-135m (SmolLM2-135M's shape) or custom (all of --layers … --context).")]
        public string Shape { get; init; } = "tiny";

        [CommandOption("--layers <N>")]
        [Description("Transformer blocks (overrides the preset).")]
        public int? Layers { get; init; }

        [CommandOption("--dim <D>")]
        [Description("Embedding width (overrides the preset).")]
        public int? Dim { get; init; }

        [CommandOption("--heads <H>")]
        [Description("Attention heads; must divide --dim (overrides the preset).")]
        public int? Heads { get; init; }

        [CommandOption("--kv-heads <K>")]
        [Description("Key/value heads; must divide --heads (overrides the preset).")]
        public int? KvHeads { get; init; }

        [CommandOption("--ffn <F>")]
        [Description("Feed-forward width (overrides the preset).")]
        public int? Ffn { get; init; }

        [CommandOption("--context <C>")]
        [Description("Context length in tokens (overrides the preset).")]
        public int? Context { get; init; }

        [CommandOption("-s|--seed <S>")]
        [Description("Seed of the random weights (default 0).")]
        public int Seed { get; init; }

        [CommandOption("--arch <NAME>")]
        [Description("Architecture: llama (default), qwen2 (q/k/v biases) or qwen3 (per-head q/k norms).")]
        public string Arch { get; init; } = "llama";

        [CommandOption("--template <NAME>")]
        [Description("Chat template: chatml (default), none (no template of its own; a donor template is kept) or Jinja text.")]
        public string Template { get; init; } = "chatml";

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Output)) return ValidationResult.Error("--out is required.");
            if (string.IsNullOrWhiteSpace(Tokenizer)) return ValidationResult.Error("--tokenizer is required (a GGUF to take the vocabulary from).");
            if (!LlamaConfig.Architectures.Contains(Arch)) return ValidationResult.Error($"--arch must be one of {string.Join(", ", LlamaConfig.Architectures)}, not '{Arch}'.");
            if (ModelShapes.Preset(Shape) is null && Shape != "custom") return ValidationResult.Error($"--shape must be tiny, smollm2-135m or custom, not '{Shape}'.");
            if (Shape == "custom" && (Layers is null || Dim is null || Heads is null || KvHeads is null || Ffn is null || Context is null))
                return ValidationResult.Error("--shape custom needs --layers, --dim, --heads, --kv-heads, --ffn and --context.");
            var shape = ToShape();
            return shape.Layers < 1 || shape.Dim < 1 || shape.Heads < 1 || shape.KvHeads < 1 || shape.FfnDim < 1 || shape.ContextLength < 1
                ? ValidationResult.Error("--layers, --dim, --heads, --kv-heads, --ffn and --context must be positive.")
                : shape.Dim % shape.Heads != 0 ? ValidationResult.Error($"--dim {shape.Dim} is not divisible by {shape.Heads} heads.")
                : shape.Heads % shape.KvHeads != 0 ? ValidationResult.Error($"{shape.Heads} heads is not a multiple of {shape.KvHeads} kv heads.")
                : (shape.Dim / shape.Heads) % 2 != 0 ? ValidationResult.Error($"head size {shape.Dim / shape.Heads} must be even (RoPE rotates pairs).")
                : ValidationResult.Success();
        }

        public ModelShape ToShape()
        {
            var p = ModelShapes.Preset(Shape) ?? ModelShapes.Tiny;
            return p with
            {
                Layers = Layers ?? p.Layers, Dim = Dim ?? p.Dim, Heads = Heads ?? p.Heads, KvHeads = KvHeads ?? p.KvHeads,
                FfnDim = Ffn ?? p.FfnDim, ContextLength = Context ?? p.ContextLength, Arch = Arch,
            };
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(settings.Tokenizer))
                throw new CliException($"Tokenizer donor not found: {Path.GetFullPath(settings.Tokenizer)}");
            var shape = settings.ToShape();
            string? template = settings.Template switch
            {
                "none" => null,
                "chatml" => ModelShapes.ChatMlTemplate,
                _ => settings.Template,
            };
            var output = Path.GetFullPath(settings.Output);
            if (Path.GetDirectoryName(output) is { } folder) Directory.CreateDirectory(folder);
            var model = ModelFactory.CreateLlama(shape, settings.Tokenizer, settings.Seed, template, output, Path.GetFileNameWithoutExtension(output));
            long parameters = model.BaseParams().Sum(p => (long)p.Data.Length);
            var c = model.Config;
            AnsiConsole.MarkupLine(
                $"[green]wrote[/] {Markup.Escape(output)}: {c.Arch}, {c.Layers} layers, dim {c.Dim}, {c.Heads} heads, {c.KvHeads} kv heads, " +
                $"ffn {c.FfnDim}, context {c.ContextLength}, vocab {c.Vocab}");
            AnsiConsole.MarkupLine($"[grey]parameters[/] {parameters:N0} ({ModelShapes.Human(parameters)}), {ModelShapes.Human(new FileInfo(output).Length)}B on disk");
            return Task.FromResult(0);
        }
        catch (Exception e) when (e is CliException or InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Task.FromResult(1);
        }
    }
}
