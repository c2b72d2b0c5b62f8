// Options of `socratic train`. Defaults suit small models on a CPU; every knob maps onto TrainerConfig,
// LoraConfig or TrainPlan, and Validate() rejects values the trainer would refuse later with a stack trace.
using System.ComponentModel;
using Socratic.Training;
using Socratic.Training.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public sealed class TrainSettings : CommandSettings
{
    [CommandOption("-m|--model <PATH>")]
    [Description("Base GGUF model (llama architecture).")]
    public string Model { get; init; } = "";

    [CommandOption("-d|--data <FILE>")]
    [Description("JSONL dataset: {\"messages\":[…]} (sft), {\"prompt\",\"chosen\",\"rejected\"} (dpo), {\"prompt\",\"completions\":[{\"text\",\"score\"}]} (grpo).")]
    public string Data { get; init; } = "";

    [CommandOption("-o|--out <PATH>")]
    [Description("Output GGUF: a LoRA adapter, or a whole model with --full.")]
    public string Output { get; init; } = "";

    [CommandOption("--objective <NAME>")]
    [Description("sft, dpo or grpo (offline scored groups). Default sft.")]
    public string Objective { get; init; } = "sft";

    [CommandOption("--full")]
    [Description("Train every weight and write a whole model instead of a LoRA adapter.")]
    public bool Full { get; init; }

    [CommandOption("--lora-rank <R>")]
    [Description("LoRA rank (default 8).")]
    public int LoraRank { get; init; } = 8;

    [CommandOption("--lora-alpha <A>")]
    [Description("LoRA alpha; the update is scaled by alpha/rank (default 16).")]
    public float LoraAlpha { get; init; } = 16f;

    [CommandOption("--lora-dropout <D>")]
    [Description("Dropout on the LoRA input, in [0, 1) (default 0).")]
    public float LoraDropout { get; init; }

    [CommandOption("--targets <LIST>")]
    [Description("Comma-separated LoRA targets among attn_q,attn_k,attn_v,attn_output,ffn_gate,ffn_up,ffn_down (default the four attention ones).")]
    public string? Targets { get; init; }

    [CommandOption("--lr <RATE>")]
    [Description("Peak learning rate (default 1e-3).")]
    public float LearningRate { get; init; } = 1e-3f;

    [CommandOption("--epochs <N>")]
    [Description("Passes over the dataset (default 3).")]
    public int Epochs { get; init; } = 3;

    [CommandOption("--batch <N>")]
    [Description("Examples per micro-batch (default 4).")]
    public int Batch { get; init; } = 4;

    [CommandOption("--seq <TOKENS>")]
    [Description("Longest example in tokens; longer ones are an error (default: the model's context length).")]
    public int Sequence { get; init; }

    [CommandOption("--warmup <STEPS>")]
    [Description("Linear warm-up steps (default 0).")]
    public int Warmup { get; init; }

    [CommandOption("--grad-accum <N>")]
    [Description("Micro-batches per optimizer step (default 1).")]
    public int GradAccumulation { get; init; } = 1;

    [CommandOption("--weight-decay <W>")]
    [Description("AdamW decoupled weight decay on matrices (default 0).")]
    public float WeightDecay { get; init; }

    [CommandOption("--clip <NORM>")]
    [Description("Gradient L2-norm clip; 0 disables (default 1).")]
    public float Clip { get; init; } = 1f;

    [CommandOption("-s|--seed <S>")]
    [Description("Seed for LoRA init, dropout and batch order (default 0).")]
    public int Seed { get; init; }

    [CommandOption("--checkpoint <PATH>")]
    [Description("Checkpoint file: resumed from when it exists, written at the end.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--checkpoint-every <N>")]
    [Description("Also write the checkpoint every N optimizer steps (default 0: only at the end).")]
    public int CheckpointEvery { get; init; }

    [CommandOption("--template <NAME>")]
    [Description("How chats are rendered: chatml (<|im_start|>…) or plain (User: … Assistant: …). Default chatml.")]
    public string Template { get; init; } = "chatml";

    [CommandOption("--threads <N>")]
    [Description("CPU threads for training (default: all cores).")]
    public int Threads { get; init; }

    public override ValidationResult Validate()
    {
        string? error =
            string.IsNullOrWhiteSpace(Model) ? "--model is required."
            : string.IsNullOrWhiteSpace(Data) ? "--data is required."
            : string.IsNullOrWhiteSpace(Output) ? "--out is required."
            : ParseObjective(Objective) is null ? $"--objective must be sft, dpo or grpo, not '{Objective}'."
            : Template is not ("chatml" or "plain") ? $"--template must be chatml or plain, not '{Template}'."
            : LoraRank < 1 ? "--lora-rank must be at least 1."
            : LoraDropout is < 0 or >= 1 ? "--lora-dropout must be in [0, 1)."
            : BadTarget() is { } t ? $"unknown --targets entry '{t}' (one of {string.Join(",", LoraConfig.AllTargets)})."
            : Full && Targets is not null ? "--targets applies to LoRA; drop it or --full."
            : !(LearningRate > 0) ? "--lr must be positive."
            : Epochs < 1 ? "--epochs must be at least 1."
            : Batch < 1 ? "--batch must be at least 1."
            : Sequence < 0 ? "--seq must not be negative."
            : Warmup < 0 ? "--warmup must not be negative."
            : GradAccumulation < 1 ? "--grad-accum must be at least 1."
            : WeightDecay < 0 ? "--weight-decay must not be negative."
            : Clip < 0 ? "--clip must not be negative."
            : CheckpointEvery < 0 ? "--checkpoint-every must not be negative."
            : CheckpointEvery > 0 && Checkpoint is null ? "--checkpoint-every needs --checkpoint."
            : null;
        return error is null ? ValidationResult.Success() : ValidationResult.Error(error);
    }

    public static TrainingJob.Objective? ParseObjective(string name) => name.ToLowerInvariant() switch
    {
        "sft" => TrainingJob.Objective.Sft,
        "dpo" => TrainingJob.Objective.Dpo,
        "grpo" => TrainingJob.Objective.Grpo,
        _ => null,
    };

    public IReadOnlyList<string>? TargetList =>
        Targets?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public TrainerConfig ToConfig() => new(
        Mode: Full ? TrainingMode.Full : TrainingMode.Lora,
        Lora: new LoraConfig(LoraRank, LoraAlpha, LoraDropout, TargetList),
        LearningRate: LearningRate,
        WeightDecay: WeightDecay,
        WarmupSteps: Warmup,
        GradClip: Clip,
        GradAccumulation: GradAccumulation,
        Seed: Seed);

    private string? BadTarget() => TargetList?.FirstOrDefault(t => !LoraConfig.AllTargets.Contains(t));
}
