// The knobs a training run was asked for, stored as the run's Hyperparameters JSON (and read back by the job),
// so a run's result can be reproduced from its row.
using System.Text.Json;

namespace Socratic.Core.Training;

public sealed record TrainingHyperparameters(
    int LoraRank = 8, float LoraAlpha = 16, float LearningRate = 1e-3f, int Epochs = 1, int BatchSize = 4, int Seed = 0)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainingHyperparameters FromJson(string json) => JsonSerializer.Deserialize<TrainingHyperparameters>(json, Json) ?? new();
}

/// <summary>Where adapters and checkpoints go; how often the trainer checkpoints (optimizer steps).</summary>
public sealed record TrainingSettings(string OutputDirectory, int CheckpointEvery);

/// <summary>One training step (or the run's final status) as the job reports it.</summary>
public sealed record TrainingUpdate(long TrainingRunId, int Step, int TotalSteps, double? Loss, TrainingStatus Status);

/// <summary>A tokenizer for a model file, kept alive while training; the web job supplies LLamaSharp's.</summary>
public interface ITrainingTokenizer : IDisposable
{
    Socratic.Training.Datasets.TokenizeFn Tokenize { get; }
}
