// Starts training runs: validates the request (errors name the fields), records the TrainingRun with its
// hyper-parameters and enqueues the job on the training queue. Also cancels them.
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Data;
using Socratic.Core.Training;
using Socratic.Web.Api;
using Socratic.Web.Models;

namespace Socratic.Web.Training;

public sealed record StartTrainingRequest
{
    public long? DatasetId { get; init; }

    /// <summary>Null: the default model's policy.</summary>
    public long? BasePolicyId { get; init; }

    public string? Objective { get; init; }

    public int? LoraRank { get; init; }

    public float? LoraAlpha { get; init; }

    public float? LearningRate { get; init; }

    public int? Epochs { get; init; }

    public int? BatchSize { get; init; }

    public int? Seed { get; init; }
}

public sealed class TrainingLauncher(SocraticDbContext db, IBackgroundJobClient jobs, ModelCatalog models, TimeProvider time)
{
    public async Task<TrainingRun> StartAsync(StartTrainingRequest request, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var objective = TrainingRunner.ParseObjective(request.Objective);
        if (objective is null)
        {
            errors.Add(new("objective", "must be sft, dpo or grpo"));
        }

        Dataset? dataset = null;
        if (request.DatasetId is not { } datasetId)
        {
            errors.Add(new("datasetId", "is required"));
        }
        else if ((dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken)) is null)
        {
            errors.Add(new("datasetId", $"no dataset {datasetId}"));
        }
        else if (objective is { } o && TrainingRunner.KindFor(o) != dataset.Kind)
        {
            errors.Add(new("datasetId", $"dataset {datasetId} is {dataset.Kind}; {request.Objective} trains on {TrainingRunner.KindFor(o)}"));
        }

        var defaults = new TrainingHyperparameters();
        var hp = new TrainingHyperparameters(
            request.LoraRank ?? defaults.LoraRank, request.LoraAlpha ?? defaults.LoraAlpha, request.LearningRate ?? defaults.LearningRate,
            request.Epochs ?? defaults.Epochs, request.BatchSize ?? defaults.BatchSize, request.Seed ?? Random.Shared.Next());
        Check(errors, "loraRank", hp.LoraRank is >= 1 and <= 256, "must be between 1 and 256");
        Check(errors, "loraAlpha", hp.LoraAlpha > 0, "must be positive");
        Check(errors, "learningRate", hp.LearningRate is > 0 and <= 1, "must be in (0, 1]");
        Check(errors, "epochs", hp.Epochs is >= 1 and <= 1000, "must be between 1 and 1000");
        Check(errors, "batchSize", hp.BatchSize is >= 1 and <= 1024, "must be between 1 and 1024");

        long basePolicyId = 0;
        if (request.BasePolicyId is { } pid)
        {
            basePolicyId = pid;
            if (!await db.Policies.AnyAsync(p => p.Id == pid, cancellationToken))
            {
                errors.Add(new("basePolicyId", $"no policy {pid}"));
            }
        }
        else if (await models.EnsureDefaultPolicyAsync(db, cancellationToken) is { } policy)
        {
            basePolicyId = policy.Id;
        }
        else
        {
            errors.Add(new("basePolicyId", "no policy given and no default model configured"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var run = new TrainingRun
        {
            DatasetId = dataset!.Id,
            BasePolicyId = basePolicyId,
            Objective = request.Objective!.Trim().ToLowerInvariant(),
            Hyperparameters = hp.ToJson(),
            CreatedAt = time.GetUtcNow(),
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        run.JobId = jobs.Enqueue<TrainingRunJob>(TrainingRunJob.Queue, j => j.RunAsync(run.Id, CancellationToken.None));
        db.AuditLog.Add(new AuditEntry { At = run.CreatedAt, Actor = actor, Action = "training.started", EntityType = "TrainingRun", EntityId = run.Id.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Marks the run cancelled; a running job notices at its next progress write. False: no such run.</summary>
    public async Task<bool> CancelAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var run = await db.TrainingRuns.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return false;
        }

        if (run.Status is TrainingStatus.Queued or TrainingStatus.Running)
        {
            if (run.Status == TrainingStatus.Queued && run.JobId is not null)
            {
                jobs.Delete(run.JobId);
            }

            run.Status = TrainingStatus.Cancelled;
            run.CompletedAt = time.GetUtcNow();
            db.AuditLog.Add(new AuditEntry { At = run.CompletedAt.Value, Actor = actor, Action = "training.cancelled", EntityType = "TrainingRun", EntityId = id.ToString() });
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    private static void Check(List<FieldError> errors, string field, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(new(field, message));
        }
    }
}
