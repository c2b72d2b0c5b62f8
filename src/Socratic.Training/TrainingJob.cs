// One-call training jobs for the CLI: load the base, read and tokenize a JSONL dataset, train to
// TotalSteps, write the result (adapter GGUF in LoRA mode, whole model GGUF in full mode). The caller
// supplies the tokenizer (LLamaSharp's), so training sees the ids inference will use.
using Socratic.Training.Datasets;
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training;

/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="FirstLoss">Objective on the first micro-batch.</param>
/// <param name="LastLoss">Objective on the last micro-batch.</param>
/// <param name="OutputPath">Adapter (LoRA) or model (full) written.</param>
public sealed record TrainingJobResult(int Steps, double FirstLoss, double LastLoss, string OutputPath);

public sealed record TrainingJobOptions(
    string BaseModelPath, string DataPath, string OutputPath, TrainerConfig Config, int BatchSize = 4,
    ChatFormat? Format = null, string? CheckpointPath = null, int CheckpointEvery = 0);

public static class TrainingJob
{
    public enum Objective { Sft, Dpo, Grpo }

    /// <summary>Runs one job. Resumes from <see cref="TrainingJobOptions.CheckpointPath"/> when that file exists,
    /// and writes it every <see cref="TrainingJobOptions.CheckpointEvery"/> optimizer steps (0 = only at the end).</summary>
    public static TrainingJobResult Run(Objective objective, TrainingJobOptions o, TokenizeFn tokenize,
        Action<StepResult>? onStep = null, CancellationToken cancellationToken = default)
    {
        var model = LlamaModel.Load(o.BaseModelPath);
        var enc = new ChatEncoder(tokenize, o.Format ?? ChatFormat.ChatMl, model.Config.ContextLength, o.DataPath);
        var trainer = o.CheckpointPath is not null && File.Exists(o.CheckpointPath)
            ? Trainer.Resume(o.CheckpointPath, model)
            : new Trainer(model, o.Config);
        double first = double.NaN, last = double.NaN;
        void Observe(StepResult r)
        {
            if (double.IsNaN(first)) first = r.Loss;
            last = r.Loss;
            if (o.CheckpointPath is not null && o.CheckpointEvery > 0 && r.OptimizerStepped && r.Step % o.CheckpointEvery == 0)
                trainer.SaveCheckpoint(o.CheckpointPath);
            onStep?.Invoke(r);
        }
        switch (objective)
        {
            case Objective.Sft:
                var chats = ChatJsonl.ReadChat(o.DataPath).Select(enc.Encode).ToList();
                trainer.Run(chats, o.BatchSize, trainer.TrainSft, Observe, cancellationToken);
                break;
            case Objective.Dpo:
                var pairs = ChatJsonl.ReadPreferences(o.DataPath).Select(enc.Encode).ToList();
                trainer.Run(pairs, o.BatchSize, trainer.TrainDpo, Observe, cancellationToken);
                break;
            case Objective.Grpo:
                var groups = ChatJsonl.ReadGroups(o.DataPath).Select(enc.Encode).ToList();
                trainer.Run(groups, o.BatchSize, trainer.TrainGrpo, Observe, cancellationToken);
                break;
        }
        if (o.CheckpointPath is not null) trainer.SaveCheckpoint(o.CheckpointPath);
        if (trainer.Config.Mode == TrainingMode.Lora) trainer.SaveAdapter(o.OutputPath);
        else trainer.SaveModel(o.OutputPath);
        return new TrainingJobResult(trainer.Step, first, last, o.OutputPath);
    }
}
