// The training loop: one object owns the model, the optimizer and the step counter. Each Train* call is one
// micro-batch (examples processed one sequence at a time); gradients accumulate over
// TrainerConfig.GradAccumulation calls, then AdamW steps with the scheduled learning rate and clipping.
// Randomness (LoRA init, dropout, sampling) derives from (Seed, step, index) so a resumed run replays exactly.
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training;

/// <param name="Step">Optimizer steps taken so far (after this call).</param>
/// <param name="Loss">Mean objective value over the micro-batch.</param>
/// <param name="Metric">SFT: loss; DPO: mean chosen-minus-rejected log-ratio margin; GRPO: mean score.</param>
/// <param name="OptimizerStepped">False while gradients are still accumulating.</param>
public readonly record struct StepResult(int Step, double Loss, double Metric, double LearningRate, double GradNorm, bool OptimizerStepped);

public sealed class Trainer
{
    public LlamaModel Model { get; }
    public TrainerConfig Config { get; }
    public AdamW Optimizer { get; } = new();
    public int Step => Optimizer.Steps;
    int _micro;
    int _sampleCalls; // SampleGroup calls since the last optimizer step
    LlamaModel? _reference;
    readonly List<Param> _params;

    public Trainer(LlamaModel model, TrainerConfig config)
    {
        config.Validate();
        Model = model;
        Config = config;
        if (config.Mode == TrainingMode.Lora)
        {
            if (model.Lora.Count > 0) throw new InvalidOperationException("model already has adapters; merge or reload it first");
            model.AttachLora(config.EffectiveLora, config.Seed);
        }
        else
        {
            model.MakeAllTrainable();
        }
        _params = model.TrainableParams().ToList();
        foreach (var p in _params) p.ZeroGrad();
    }

    public IReadOnlyList<Param> TrainableParams => _params;

    /// <summary>One micro-batch of SFT examples.</summary>
    public StepResult TrainSft(IReadOnlyList<TokenizedExample> batch)
    {
        double scale = GradScale(batch.Count), loss = 0;
        for (int i = 0; i < batch.Count; i++) loss += Sft.Accumulate(Model, batch[i], scale, DropoutRng(i));
        loss /= batch.Count;
        return Finish(loss, loss);
    }

    /// <summary>One micro-batch of DPO pairs against the frozen reference.</summary>
    public StepResult TrainDpo(IReadOnlyList<PreferencePair> batch)
    {
        double scale = GradScale(batch.Count), loss = 0, margin = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            var r = Dpo.Accumulate(Model, ReferenceLogProb, batch[i], Config.DpoBeta, scale, DropoutRng(i));
            loss += r.Loss;
            margin += r.Margin;
        }
        return Finish(loss / batch.Count, margin / batch.Count);
    }

    /// <summary>One micro-batch of GRPO groups (each: samples of one prompt with their scores).</summary>
    public StepResult TrainGrpo(IReadOnlyList<IReadOnlyList<ScoredSample>> groups)
    {
        double scale = GradScale(groups.Count), loss = 0, score = 0;
        for (int i = 0; i < groups.Count; i++)
        {
            var r = Grpo.Accumulate(Model, ReferenceLogProbs, groups[i], Config.GrpoKlBeta, scale, DropoutRng(i));
            loss += r.Loss;
            score += r.MeanScore;
        }
        return Finish(loss / groups.Count, score / groups.Count);
    }

    /// <summary>Runs micro-batches of <paramref name="batchSize"/> drawn from <paramref name="data"/> until
    /// <see cref="TrainerConfig.TotalSteps"/> optimizer steps are done, e.g.
    /// <c>trainer.Run(examples, 8, trainer.TrainSft, r => Console.WriteLine(r))</c>. Batch order is a
    /// seeded shuffle per epoch, indexed by micro-batch number, so a resumed trainer picks up where it left off.</summary>
    public void Run<T>(IReadOnlyList<T> data, int batchSize, Func<IReadOnlyList<T>, StepResult> trainStep,
        Action<StepResult>? onStep = null, CancellationToken cancellationToken = default)
    {
        if (data.Count == 0) throw new ArgumentException("no training data");
        batchSize = Math.Clamp(batchSize, 1, data.Count);
        int batchesPerEpoch = (data.Count + batchSize - 1) / batchSize;
        while (Step < Config.TotalSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long micro = (long)Step * Config.GradAccumulation + _micro;
            int epoch = (int)(micro / batchesPerEpoch), index = (int)(micro % batchesPerEpoch);
            var order = Enumerable.Range(0, data.Count).ToArray();
            new Random(Mix(Config.Seed, epoch, -1, 0)).Shuffle(order);
            var batch = order.Skip(index * batchSize).Take(batchSize).Select(i => data[i]).ToList();
            var result = trainStep(batch);
            onStep?.Invoke(result);
        }
    }

    /// <summary>Samples <paramref name="groupSize"/> completions of <paramref name="prompt"/> from the current
    /// policy and scores them: a ready GRPO group.</summary>
    public IReadOnlyList<ScoredSample> SampleGroup(int[] prompt, int groupSize, int maxNewTokens, Func<int[], double> score,
        float temperature = 1f, int? stopToken = null)
    {
        // Distinct stream per call within a step (several prompts per step), reproducible from (seed, step, call).
        var rng = new Random(Mix(Config.Seed, Step, _micro, 7919 + 104729 * _sampleCalls++));
        var group = new List<ScoredSample>(groupSize);
        for (int i = 0; i < groupSize; i++)
        {
            var completion = Generation.Sample(Model, prompt, maxNewTokens, temperature, rng, stopToken);
            group.Add(new ScoredSample(TokenizedExample.FromPromptCompletion(prompt, completion), score(completion)));
        }
        return group;
    }

    /// <summary>Per-position log-probs under the frozen reference: the base without adapters (LoRA) or a
    /// copy of the weights taken when training started (full fine-tuning).</summary>
    public double[] ReferenceLogProbs(TokenizedExample ex)
    {
        if (Config.Mode == TrainingMode.Full) return SequenceLogProbs.Compute(_reference ??= Model.CloneBase(), ex);
        Model.LoraEnabled = false;
        try { return SequenceLogProbs.Compute(Model, ex); }
        finally { Model.LoraEnabled = true; }
    }

    public double ReferenceLogProb(TokenizedExample ex) => ReferenceLogProbs(ex).Sum();

    /// <summary>Writes the adapters (LoRA mode) as a llama.cpp LoRA GGUF.</summary>
    public void SaveAdapter(string path) => LoraAdapter.Save(Model, path);

    /// <summary>Writes a whole model GGUF: the trained weights (full) or base with adapters merged (LoRA; the
    /// trainer's own model keeps its adapters).</summary>
    public void SaveModel(string path, string? name = null)
    {
        if (Config.Mode == TrainingMode.Full)
        {
            ModelWriter.Save(Model, path, name);
            return;
        }
        var merged = Model.CloneBase();
        foreach (var (k, p) in Model.Lora)
            merged.Lora[k] = new LoraPair(new Param(p.A.Name, p.A.Ne, p.A.Data), new Param(p.B.Name, p.B.Ne, p.B.Data), p.Alpha, 0f);
        merged.MergeLora();
        ModelWriter.Save(merged, path, name);
    }

    public void SaveCheckpoint(string path) => Checkpoint.Save(this, path);

    /// <summary>Rebuilds a trainer from a checkpoint on top of the same base model it was trained from.</summary>
    public static Trainer Resume(string checkpointPath, LlamaModel baseModel) => Checkpoint.Load(checkpointPath, baseModel);

    internal void EnsureReference()
    {
        if (Config.Mode == TrainingMode.Full) _reference ??= Model.CloneBase();
    }

    internal void SetReference(LlamaModel reference) => _reference = reference;
    internal LlamaModel? Reference => _reference;
    internal int MicroSteps => _micro;

    double GradScale(int n)
    {
        if (n == 0) throw new ArgumentException("empty batch");
        if (Config.Mode == TrainingMode.Full && _micro == 0 && Step == 0) EnsureReference(); // copy before the first update
        return 1.0 / (n * Config.GradAccumulation);
    }

    Random? DropoutRng(int i) =>
        Config.Mode == TrainingMode.Lora && Config.EffectiveLora.Dropout > 0 ? new Random(Mix(Config.Seed, Step, _micro, i)) : null;

    StepResult Finish(double loss, double metric)
    {
        ReleaseActivations();
        _micro++;
        if (_micro < Config.GradAccumulation)
            return new StepResult(Step, loss, metric, Config.LearningRateAt(Step), 0, false);
        float lr = Config.LearningRateAt(Step);
        double norm = Optimizer.Step(_params, lr, Config);
        foreach (var p in _params) p.ZeroGrad();
        _micro = 0;
        _sampleCalls = 0;
        return new StepResult(Step, loss, metric, lr, norm, true);
    }

    /// <summary>
    /// Every forward/backward allocates its activations afresh (large arrays, on the large-object heap) and drops them
    /// at the end of the micro-batch. The GC's own budget lets several micro-batches of that garbage pile up before a
    /// full collection: measured on a SmolLM2-135M shape at T = 256, the resident peak was 2.3 GB for a 0.9 GB working
    /// set. Once a micro-batch has allocated more than <see cref="ReleaseEveryBytes"/>, a full, non-compacting
    /// collection returns that space for the next one to reuse; the arrays hold no references, so it costs a few
    /// milliseconds against seconds of arithmetic. Small models never reach the threshold.
    /// </summary>
    void ReleaseActivations()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        if (allocated - _allocatedAtRelease < ReleaseEveryBytes) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        _allocatedAtRelease = GC.GetTotalAllocatedBytes();
    }

    const long ReleaseEveryBytes = 256L << 20;
    long _allocatedAtRelease;

    // Deterministic across processes (HashCode.Combine is randomised per process, so not usable here).
    internal static int Mix(int seed, int step, int micro, int index)
    {
        unchecked
        {
            uint h = (uint)seed * 0x9E3779B1u;
            h = (h ^ (uint)step) * 0x85EBCA77u;
            h = (h ^ (uint)micro) * 0xC2B2AE3Du;
            h = (h ^ (uint)index) * 0x27D4EB2Fu;
            return (int)(h ^ (h >> 15)) & int.MaxValue;
        }
    }
}
