// Named recipes for `socratic model pretrain`: a model shape plus how much generated text to train it on and how.
// "micro" makes the committed models/socratic-micro.gguf; "test" is sized for a unit test (seconds).
using Socratic.Training;

namespace Socratic.Cli.Training;

/// <param name="Dialogues">Generated game dialogues (each gives one example per role); one pass over them.</param>
/// <param name="Batch">Examples per optimizer step.</param>
public sealed record PretrainPreset(ModelShape Shape, int Dialogues, int Batch, float LearningRate, int WarmupSteps)
{
    /// <summary>The product's embedded default (models/socratic-micro.gguf): ~6 CPU-minutes of one core, 14 minutes on the busy dev machine.</summary>
    public static PretrainPreset Micro { get; } = new(
        new ModelShape(Dim: 128, Layers: 4, Heads: 4, KvHeads: 2, FfnDim: 384, ContextLength: 1024), Dialogues: 1200, Batch: 8,
        LearningRate: 3e-3f, WarmupSteps: 20);

    /// <summary>A few seconds: proves the recipe end to end in tests.</summary>
    public static PretrainPreset Test { get; } = new(
        new ModelShape(Dim: 32, Layers: 2, Heads: 2, KvHeads: 2, FfnDim: 64, ContextLength: 1024), Dialogues: 48, Batch: 4,
        LearningRate: 1e-2f, WarmupSteps: 2);

    public static PretrainPreset? Named(string name) => name switch
    {
        "micro" => Micro,
        "test" => Test,
        _ => null,
    };
}
