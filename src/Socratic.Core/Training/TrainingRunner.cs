// Runs one TrainingRun: exports its dataset to a temporary JSONL, trains a LoRA adapter on the base policy's
// model with Socratic.Training, records progress (steps, loss curve) on the row, and on success records the next
// generation's Policy. At-least-once delivery is safe: a finished run is left alone, a re-delivered one resumes
// from the checkpoint whose path is on the row, and the output policy is created once.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.Policies;
using Socratic.Training;
using Socratic.Training.Datasets;
using Socratic.Training.Model;

namespace Socratic.Core.Training;

public sealed class TrainingRunner(IDbContextFactory<SocraticDbContext> dbFactory, TimeProvider time)
{
    public async Task TrainAsync(
        long trainingRunId, TrainingSettings settings, Func<string, ITrainingTokenizer> tokenizers, Action<TrainingUpdate> report,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.FirstOrDefaultAsync(r => r.Id == trainingRunId, cancellationToken);
        if (run is null || run.Status is TrainingStatus.Completed or TrainingStatus.Failed or TrainingStatus.Cancelled)
        {
            return;
        }

        string? data = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var basePolicy = await db.Policies.AsNoTracking().FirstAsync(p => p.Id == run.BasePolicyId, cancellationToken);
            var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == run.DatasetId, cancellationToken);
            var hp = TrainingHyperparameters.FromJson(run.Hyperparameters);
            var objective = ParseObjective(run.Objective) ?? throw new InvalidOperationException($"unknown objective '{run.Objective}'");

            var folder = Path.GetFullPath(settings.OutputDirectory);
            Directory.CreateDirectory(folder);
            var adapter = Path.Combine(folder, $"training-run-{run.Id}.lora.gguf");
            run.CheckpointPath ??= Path.Combine(folder, $"training-run-{run.Id}.checkpoint");
            int batch = Math.Clamp(hp.BatchSize, 1, Math.Max(1, dataset.ItemCount));
            run.TotalSteps = Math.Max(1, hp.Epochs * ((dataset.ItemCount + batch - 1) / batch));
            run.Status = TrainingStatus.Running;
            run.StartedAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            report(new TrainingUpdate(run.Id, run.StepsDone, run.TotalSteps, null, run.Status));

            data = Path.Combine(Path.GetTempPath(), $"socratic-training-{run.Id}-{Guid.NewGuid():N}.jsonl");
            var lines = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == run.DatasetId).OrderBy(i => i.Ordinal)
                .Select(i => i.Content).ToListAsync(cancellationToken);
            await File.WriteAllLinesAsync(data, lines, cancellationToken);

            var config = new TrainerConfig(
                Lora: new LoraConfig(hp.LoraRank, hp.LoraAlpha), LearningRate: hp.LearningRate, TotalSteps: run.TotalSteps, Seed: hp.Seed);
            var options = new TrainingJobOptions(basePolicy.BaseModelPath, data, adapter, config, batch, FormatFor(basePolicy.ChatTemplate),
                run.CheckpointPath, settings.CheckpointEvery);
            var progress = new ProgressWriter(dbFactory, run.Id, run.TotalSteps, report, stop);
            await Task.Run(() =>
            {
                using var tokenizer = tokenizers(basePolicy.BaseModelPath);
                TrainingJob.Run(objective, options, tokenizer.Tokenize, progress.OnStep, stop.Token);
            }, CancellationToken.None);
            progress.Flush();

            await CompleteAsync(run.Id, basePolicy, adapter, cancellationToken);
            report(new TrainingUpdate(run.Id, run.TotalSteps, run.TotalSteps, progress.LastLoss, TrainingStatus.Completed));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled through the API (the row already says so); the checkpoint stays for inspection.
            report(new TrainingUpdate(trainingRunId, 0, 0, null, TrainingStatus.Cancelled));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailAsync(trainingRunId, Describe(e));
            report(new TrainingUpdate(trainingRunId, 0, 0, null, TrainingStatus.Failed));
        }
        finally
        {
            if (data is not null)
            {
                File.Delete(data);
            }
        }
    }

    public static TrainingJob.Objective? ParseObjective(string? objective) => objective?.Trim().ToLowerInvariant() switch
    {
        "sft" => TrainingJob.Objective.Sft,
        "dpo" => TrainingJob.Objective.Dpo,
        "grpo" => TrainingJob.Objective.Grpo,
        _ => null,
    };

    /// <summary>The dataset kind an objective trains on.</summary>
    public static DatasetKind KindFor(TrainingJob.Objective objective) => objective switch
    {
        TrainingJob.Objective.Sft => DatasetKind.Chat,
        TrainingJob.Objective.Dpo => DatasetKind.Preference,
        _ => DatasetKind.ScoredGroups,
    };

    // Training must frame turns as play will: "plain" policies get the plain format, everything else ChatML
    // (the runtime's fallback template for models without their own).
    private static ChatFormat FormatFor(string? chatTemplate) =>
        string.Equals(chatTemplate, "plain", StringComparison.OrdinalIgnoreCase) ? ChatFormat.Plain : ChatFormat.ChatMl;

    private static string Describe(Exception e) => e switch
    {
        DatasetFormatException f => $"dataset: {f.Message}",
        FileNotFoundException or DirectoryNotFoundException => $"model: {e.Message}",
        _ => e.Message,
    };

    private async Task CompleteAsync(long runId, Policy basePolicy, string adapter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.FirstAsync(r => r.Id == runId, cancellationToken);
        var now = time.GetUtcNow();
        var policy = await db.Policies.FirstOrDefaultAsync(p => p.TrainingRunId == runId, cancellationToken);
        if (policy is null)
        {
            policy = new Policy
            {
                Name = $"{basePolicy.Name}-g{basePolicy.Generation + 1}-run{runId}",
                BaseModelPath = basePolicy.BaseModelPath,
                BaseModelSha256 = basePolicy.BaseModelSha256,
                AdapterPath = adapter,
                ChatTemplate = basePolicy.ChatTemplate,
                Generation = basePolicy.Generation + 1,
                ParentPolicyId = basePolicy.Id,
                DatasetId = run.DatasetId,
                TrainingRunId = runId,
                CampaignId = basePolicy.CampaignId,
                Status = PolicyStatus.Candidate,
                CreatedAt = now,
            };
            db.Policies.Add(policy);
            await db.SaveChangesAsync(cancellationToken);
        }

        run.OutputPolicyId = policy.Id;
        run.Status = TrainingStatus.Completed;
        run.StepsDone = run.TotalSteps;
        run.CompletedAt = now;
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = "training", Action = "training.completed", EntityType = "TrainingRun", EntityId = runId.ToString(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FailAsync(long runId, string error)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.TrainingRuns.FirstAsync(r => r.Id == runId);
        run.Status = TrainingStatus.Failed;
        run.Error = error;
        run.CompletedAt = time.GetUtcNow();
        db.AuditLog.Add(new AuditEntry { At = run.CompletedAt.Value, Actor = "training", Action = "training.failed", EntityType = "TrainingRun", EntityId = runId.ToString() });
        await db.SaveChangesAsync();
    }

    /// <summary>Writes steps and the loss curve to the row from the trainer's thread (synchronously: it is between
    /// steps), at most every second plus at the end, and notices a cancel requested through the API.</summary>
    private sealed class ProgressWriter(
        IDbContextFactory<SocraticDbContext> dbFactory, long runId, int totalSteps, Action<TrainingUpdate> report, CancellationTokenSource stop)
    {
        private readonly List<JsonObject> _pending = [];
        private DateTime _lastWrite = DateTime.MinValue;

        public double? LastLoss { get; private set; }

        public void OnStep(StepResult r)
        {
            if (!r.OptimizerStepped)
            {
                return;
            }

            LastLoss = r.Loss;
            _pending.Add(new JsonObject { ["step"] = r.Step, ["loss"] = r.Loss, ["lr"] = r.LearningRate });
            report(new TrainingUpdate(runId, r.Step, totalSteps, r.Loss, TrainingStatus.Running));
            if (DateTime.UtcNow - _lastWrite >= TimeSpan.FromSeconds(1) || r.Step >= totalSteps)
            {
                Flush();
            }
        }

        public void Flush()
        {
            _lastWrite = DateTime.UtcNow;
            using var db = dbFactory.CreateDbContext();
            var run = db.TrainingRuns.First(t => t.Id == runId);
            if (run.Status == TrainingStatus.Cancelled)
            {
                stop.Cancel();
                return;
            }

            if (_pending.Count == 0)
            {
                return;
            }

            // A resumed run re-reports steps after its checkpoint: keep the curve's earlier points up to there.
            var curve = JsonNode.Parse(run.LossCurve) as JsonArray ?? [];
            int from = _pending[0]["step"]!.GetValue<int>();
            var kept = curve.Where(p => p?["step"]?.GetValue<int>() < from).Select(p => p!.DeepClone()).ToList();
            var merged = new JsonArray([.. kept, .. _pending.Select(p => (JsonNode)p.DeepClone())]);
            run.LossCurve = merged.ToJsonString();
            run.StepsDone = _pending[^1]["step"]!.GetValue<int>();
            _pending.Clear();
            db.SaveChanges();
        }
    }
}
