// The one configuration record of the trainer. Every knob that changes training results lives here, so a
// checkpoint that stores this record can resume a run exactly.
using Socratic.Training.Model;

namespace Socratic.Training;

/// <summary>Process-wide compute settings.</summary>
public static class TrainingThreads
{
    /// <summary>Most threads the kernels use (-1 = all cores, the default). Results do not depend on it.</summary>
    public static int Max
    {
        get => Layers.Par.MaxThreads;
        set => Layers.Par.MaxThreads = value;
    }
}

public enum TrainingMode
{
    /// <summary>Base frozen; low-rank adapters on <see cref="TrainerConfig.Lora"/>'s targets are trained.</summary>
    Lora,
    /// <summary>Every base tensor is trained (F32 in memory); save with <see cref="Trainer.SaveModel"/>.</summary>
    Full,
}

/// <param name="Mode">LoRA or full fine-tuning.</param>
/// <param name="Lora">Rank, alpha, dropout and target kinds (used when Mode is Lora).</param>
/// <param name="LearningRate">Peak learning rate reached after warm-up.</param>
/// <param name="WeightDecay">Decoupled AdamW decay, applied to matrices only (not norms).</param>
/// <param name="WarmupSteps">Linear warm-up from 0 to LearningRate over this many optimizer steps.</param>
/// <param name="TotalSteps">Length of the cosine schedule; after it the rate stays at the minimum.</param>
/// <param name="MinLearningRateRatio">Cosine floor as a fraction of LearningRate.</param>
/// <param name="GradClip">Clip the global gradient L2 norm to this value; 0 disables clipping.</param>
/// <param name="GradAccumulation">Micro-batches (Train* calls) summed before each optimizer step.</param>
/// <param name="Seed">Seeds LoRA initialisation, dropout and batch sampling (with the step number).</param>
/// <param name="DpoBeta">DPO temperature β on the log-ratio margin.</param>
/// <param name="GrpoKlBeta">Weight of the per-token KL(policy‖reference) penalty in GRPO; 0 disables it.</param>
public sealed record TrainerConfig(
    TrainingMode Mode = TrainingMode.Lora,
    LoraConfig? Lora = null,
    float LearningRate = 1e-3f,
    float WeightDecay = 0f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float AdamEps = 1e-8f,
    int WarmupSteps = 0,
    int TotalSteps = 100,
    float MinLearningRateRatio = 0.1f,
    float GradClip = 1f,
    int GradAccumulation = 1,
    int Seed = 0,
    float DpoBeta = 0.1f,
    float GrpoKlBeta = 0f)
{
    public LoraConfig EffectiveLora => Lora ?? new LoraConfig();

    /// <summary>Warm-up then cosine decay to MinLearningRateRatio·LearningRate. <paramref name="step"/> counts from 0.</summary>
    public float LearningRateAt(int step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        int decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double cos = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(LearningRate * (MinLearningRateRatio + (1 - MinLearningRateRatio) * cos));
    }

    public void Validate()
    {
        if (LearningRate <= 0) throw new ArgumentException("LearningRate must be positive");
        if (GradAccumulation < 1) throw new ArgumentException("GradAccumulation must be at least 1");
        if (TotalSteps < 1) throw new ArgumentException("TotalSteps must be at least 1");
        if (Mode == TrainingMode.Lora && (EffectiveLora.Rank < 1 || EffectiveLora.Dropout is < 0 or >= 1))
            throw new ArgumentException("LoRA rank must be ≥ 1 and dropout in [0, 1)");
    }
}
