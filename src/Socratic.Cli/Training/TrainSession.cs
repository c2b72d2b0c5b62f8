// One training run assembled from Socratic.Training's public pieces (what TrainingJob.Run does, plus what the
// CLI needs on top): the dataset is read and tokenized before anything trains, so bad lines fail fast; the
// schedule length comes from --epochs and the dataset size; and every micro-batch's token count is tallied
// so the progress bar can show tokens/s. Checkpoint behaviour matches TrainingJob (resume if the file exists).
using System.Diagnostics;
using Socratic.Training;
using Socratic.Training.Datasets;
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Cli.Training;

/// <param name="MaxSequence">Longest tokenized example allowed; 0 = the model's context length.</param>
/// <param name="Epochs">Passes over the dataset; sets TrainerConfig.TotalSteps.</param>
public sealed record TrainPlan(
    TrainingJob.Objective Objective, string BaseModel, string Data, string Output, TrainerConfig Config,
    int Epochs, int BatchSize, int MaxSequence, ChatFormat Format, string? CheckpointPath, int CheckpointEvery);

public sealed record TrainOutcome(int Steps, double FirstLoss, double LastLoss, long Tokens, TimeSpan Elapsed)
{
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? Tokens / Elapsed.TotalSeconds : 0;
}

public sealed class TrainSession
{
    private readonly TrainPlan plan;
    private readonly Trainer trainer;
    private readonly Action<int, Action<StepResult>, CancellationToken> run;
    private long tokens;

    private TrainSession(TrainPlan plan, Trainer trainer, int examples, Func<TrainSession, Action<int, Action<StepResult>, CancellationToken>> bind)
    {
        this.plan = plan;
        this.trainer = trainer;
        Examples = examples;
        run = bind(this);
    }

    public int Examples { get; }

    public int TotalSteps => trainer.Config.TotalSteps;

    public int StartStep { get; private init; }

    public LlamaConfig ModelConfig => trainer.Model.Config;

    /// <summary>Loads the base, reads and tokenizes the data (DatasetFormatException names the line), builds or resumes the trainer.</summary>
    public static TrainSession Prepare(TrainPlan plan, TokenizeFn tokenize)
    {
        var model = LlamaModel.Load(plan.BaseModel);
        int context = plan.MaxSequence > 0 ? Math.Min(plan.MaxSequence, model.Config.ContextLength) : model.Config.ContextLength;
        var enc = new ChatEncoder(tokenize, plan.Format, context, plan.Data);
        return plan.Objective switch
        {
            TrainingJob.Objective.Sft => Create(plan, model, ChatJsonl.ReadChat(plan.Data).Select(enc.Encode).ToList(),
                e => e.Tokens.Length, t => t.TrainSft),
            TrainingJob.Objective.Dpo => Create(plan, model, ChatJsonl.ReadPreferences(plan.Data).Select(enc.Encode).ToList(),
                p => p.Chosen.Tokens.Length + p.Rejected.Tokens.Length, t => t.TrainDpo),
            _ => Create(plan, model, ChatJsonl.ReadGroups(plan.Data).Select(enc.Encode).ToList(),
                g => g.Sum(s => s.Sample.Tokens.Length), t => t.TrainGrpo),
        };
    }

    private static TrainSession Create<T>(TrainPlan plan, LlamaModel model, List<T> data, Func<T, int> length,
        Func<Trainer, Func<IReadOnlyList<T>, StepResult>> step)
    {
        if (data.Count == 0) throw new DatasetFormatException(plan.Data, 0, "no examples");
        int batch = Math.Clamp(plan.BatchSize, 1, data.Count);
        int microPerEpoch = (data.Count + batch - 1) / batch;
        int accumulation = plan.Config.GradAccumulation;
        int total = Math.Max(1, (plan.Epochs * microPerEpoch + accumulation - 1) / accumulation);
        bool resume = plan.CheckpointPath is not null && File.Exists(plan.CheckpointPath);
        var trainer = resume ? Trainer.Resume(plan.CheckpointPath!, model) : new Trainer(model, plan.Config with { TotalSteps = total });
        return new TrainSession(plan, trainer, data.Count, s => (b, onStep, ct) =>
            s.trainer.Run(data, b, items =>
            {
                s.tokens += items.Sum(length);
                return step(s.trainer)(items);
            }, onStep, ct))
        {
            StartStep = trainer.Step,
        };
    }

    /// <summary>Trains to TotalSteps, checkpointing as planned, then writes the adapter (LoRA) or model (full).</summary>
    public TrainOutcome Run(Action<StepResult, long>? onStep, CancellationToken cancellationToken)
    {
        double first = double.NaN, last = double.NaN;
        var clock = Stopwatch.StartNew();
        run(plan.BatchSize, r =>
        {
            if (double.IsNaN(first)) first = r.Loss;
            last = r.Loss;
            if (plan.CheckpointPath is not null && plan.CheckpointEvery > 0 && r.OptimizerStepped && r.Step % plan.CheckpointEvery == 0)
            {
                trainer.SaveCheckpoint(plan.CheckpointPath);
            }

            onStep?.Invoke(r, tokens);
        }, cancellationToken);
        clock.Stop();
        if (plan.CheckpointPath is not null)
        {
            trainer.SaveCheckpoint(plan.CheckpointPath);
        }

        if (trainer.Config.Mode == TrainingMode.Lora)
        {
            trainer.SaveAdapter(plan.Output);
        }
        else
        {
            trainer.SaveModel(plan.Output);
        }

        return new TrainOutcome(trainer.Step, first, last, tokens, clock.Elapsed);
    }
}
