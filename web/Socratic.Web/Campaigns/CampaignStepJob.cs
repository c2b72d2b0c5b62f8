// Advances one generation of a campaign through its chain: self-play → coverage → curation → training →
// evaluation → meta-critic → approval → next generation. The step reached is stored on the Generation row, so
// the job is re-entrant: any delivery (first, a Hangfire retry, a continuation after the self-play or training
// job, a re-enqueue after an admin's decision) picks up where the row says and never repeats finished work.
// Self-play and training are their own jobs (self-play and training queues); this job only launches them and
// chains itself as their continuation. Evaluation is played here, suite by suite; each result is stored as it
// finishes, so a retry plays only what is missing.
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Socratic.Core.Campaigns;
using Socratic.Core.Coverage;
using Socratic.Core.Curation;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Ratings;
using Socratic.Core.Training;
using Socratic.Web.Hosting;
using Socratic.Web.Play;
using Socratic.Web.Training;

namespace Socratic.Web.Campaigns;

public sealed class CampaignStepJob(
    IDbContextFactory<SocraticDbContext> dbFactory, IServiceScopeFactory scopes, IBackgroundJobClient jobs, IPolicyProvider policies, IOptions<PlayOptions> playOptions,
    TimeProvider time, ILogger<CampaignStepJob> logger, ITextEmbedder? embedder = null)
{
    public const string Actor = "campaign";

    /// <summary>The step job itself is short; it waits on the self-play and training queues by continuation.</summary>
    public const string Queue = "default";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long generationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var generation = await db.Generations.FirstOrDefaultAsync(g => g.Id == generationId, cancellationToken);
        if (generation is null || generation.Status is GenerationStatus.Completed or GenerationStatus.Failed)
        {
            return;
        }

        var campaign = await db.Campaigns.Include(c => c.Games).FirstAsync(c => c.Id == generation.CampaignId, cancellationToken);
        var config = CampaignConfig.FromJson(campaign.Config);
        try
        {
            while (generation.Status != GenerationStatus.Completed)
            {
                var waiting = await StepAsync(db, campaign, config, generation, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                if (waiting)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Generation {Generation} of campaign {Campaign} failed at {Step}.", generation.Number, campaign.Name, generation.Step);
            generation.Status = GenerationStatus.Failed;
            generation.Metrics = Metrics.With(generation.Metrics, "error", $"{generation.Step}: {e.Message}");
            campaign.Status = CampaignStatus.Failed;
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>After a decision: a generation waiting for approval with nothing left to decide goes on.</summary>
    public static async Task ResumeIfDecidedAsync(SocraticDbContext db, IBackgroundJobClient jobs, long? generationId, CancellationToken ct)
    {
        if (generationId is not { } id
            || !await db.Generations.AnyAsync(g => g.Id == id && g.Status == GenerationStatus.WaitingForApproval, ct)
            || await db.Decisions.AnyAsync(d => d.GenerationId == id && d.Status == Core.MetaCritic.DecisionStatus.Proposed, ct))
        {
            return;
        }

        jobs.Enqueue<CampaignStepJob>(Queue, j => j.RunAsync(id, CancellationToken.None));
    }

    /// <summary>Does the current step; true when it must wait for another job (or a person) to continue.</summary>
    private async Task<bool> StepAsync(SocraticDbContext db, Campaign campaign, CampaignConfig config, Generation generation, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        switch (generation.Step)
        {
            case GenerationStep.SelfPlay:
            case GenerationStep.Scoring: // scoring happens inside each episode; the step exists for visibility
                var run = await db.Runs.AsNoTracking().Where(r => r.GenerationId == generation.Id).OrderBy(r => r.Id).FirstOrDefaultAsync(ct);
                if (run is null)
                {
                    await LaunchSelfPlayAsync(db, campaign, config, generation, ct);
                    return true;
                }

                if (run.Status is RunStatus.Queued or RunStatus.Running)
                {
                    return true; // the continuation on the run's job brings us back
                }

                if (run.Status != RunStatus.Completed)
                {
                    throw new InvalidOperationException($"self-play run {run.Id} ended {run.Status}: {run.Error}");
                }

                await RatingService.RateGenerationAsync(db, generation.Id, config.Ratings, now, ct);
                generation.Step = GenerationStep.Coverage;
                return false;

            case GenerationStep.Coverage:
                await CoverageService.MeasureAsync(db, generation.Id, config.Coverage, now, await EmbedderAsync(db, generation, config, ct), ct);
                generation.Step = GenerationStep.Curation;
                return false;

            case GenerationStep.Curation:
                if (!await db.Datasets.AnyAsync(d => d.GenerationId == generation.Id, ct))
                {
                    var runIds = await db.Runs.Where(r => r.GenerationId == generation.Id).Select(r => r.Id).ToListAsync(ct);
                    try
                    {
                        await CurationService.CurateAsync(db, new CurationRequest($"{campaign.Name}-gen{generation.Number}", config.DatasetKind, runIds, config.Curation)
                        {
                            CampaignId = campaign.Id, GenerationId = generation.Id,
                        }, Actor, now, ct);
                    }
                    catch (InvalidOperationException e)
                    {
                        // Nothing worth training on is a result, not a crash: the generation goes on without training.
                        generation.Metrics = Metrics.With(generation.Metrics, "curation", e.Message);
                        generation.Step = GenerationStep.Evaluation;
                        return false;
                    }
                }

                generation.Step = GenerationStep.Training;
                return false;

            case GenerationStep.Training:
                return await TrainAsync(db, campaign, config, generation, ct);

            case GenerationStep.Evaluation:
                await EvaluateAsync(db, config, generation, ct);
                generation.Step = GenerationStep.MetaCritic;
                return false;

            case GenerationStep.MetaCritic:
                await MetaCriticService.ProposeAsync(db, generation.Id, now, ct);
                generation.Step = GenerationStep.Approval;
                return false;

            case GenerationStep.Approval:
                if (await db.Decisions.AnyAsync(d => d.GenerationId == generation.Id && d.Status == Core.MetaCritic.DecisionStatus.Proposed, ct))
                {
                    generation.Status = GenerationStatus.WaitingForApproval; // deciding the last proposal re-enqueues this job
                    return true;
                }

                generation.Status = GenerationStatus.Running;
                generation.Step = GenerationStep.Done;
                return false;

            default:
                await FinishAsync(db, campaign, config, generation, now, ct);
                return false;
        }
    }

    /// <summary>Coverage's embedder: the base model of the policy that played, through the in-process runtime; none
    /// with a remote backend (nothing to load here) or when the campaign turned embeddings off.</summary>
    private async Task<Embedder?> EmbedderAsync(SocraticDbContext db, Generation generation, CampaignConfig config, CancellationToken ct)
    {
        if (embedder is null || !config.Coverage.Embeddings)
        {
            return null;
        }

        var model = await db.Policies.Where(p => p.Id == generation.PolicyId).Select(p => p.BaseModelPath).FirstAsync(ct);
        return (texts, token) => embedder.EmbedAsync(model, texts, token);
    }

    private async Task LaunchSelfPlayAsync(SocraticDbContext db, Campaign campaign, CampaignConfig config, Generation generation, CancellationToken ct)
    {
        var gameIds = campaign.Games.Where(g => !g.Paused && g.Weight > 0).Select(g => g.GameId).ToList();
        var versions = await db.GameVersions.Where(v => gameIds.Contains(v.GameId))
            .GroupBy(v => v.GameId).Select(g => g.OrderByDescending(v => v.Version).First().Id).ToListAsync(ct);
        if (versions.Count == 0)
        {
            throw new InvalidOperationException("every game of the campaign is paused or has no version");
        }

        // The opponent pool: the policies the latest OpponentPoolSize earlier generations played, frozen; an
        // OpponentPoolShare of the episodes give their "opponent" roles to one of them, the rest to the current policy.
        var earlier = config.OpponentPoolShare > 0
            ? await db.Generations.Where(g => g.CampaignId == campaign.Id && g.Number < generation.Number && g.PolicyId != generation.PolicyId)
                .OrderByDescending(g => g.Number).Select(g => g.PolicyId).ToListAsync(ct)
            : [];
        var pool = earlier.Distinct().Take(config.OpponentPoolSize).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var launcher = scope.ServiceProvider.GetRequiredService<RunLauncher>();
        var run = await launcher.StartAsync(new StartRunRequest
        {
            GameVersionIds = versions, PolicyId = generation.PolicyId, OpponentPool = pool, OpponentShare = config.OpponentPoolShare,
            Temperature = config.Temperature, Episodes = config.EpisodesPerGeneration, Seed = (campaign.Id * 1000) + generation.Number,
        }, Actor, ct, generation.Id);
        jobs.ContinueJobWith<CampaignStepJob>(run.JobId!, j => j.RunAsync(generation.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(Queue), JobContinuationOptions.OnAnyFinishedState);
    }

    /// <summary>Plays the held-out suites (what is not stored yet); progress and results go to the generation's metrics.</summary>
    private async Task EvaluateAsync(SocraticDbContext db, CampaignConfig config, Generation generation, CancellationToken ct)
    {
        if (config.EvalSuites.Count == 0)
        {
            generation.Metrics = Metrics.With(generation.Metrics, "evaluation", "no suites configured");
            return;
        }

        var results = await GenerationEvaluation.EvaluateAsync(
            db, new EvaluationRunner(policies), generation, config, playOptions.Value.DefaultConcurrency, time,
            async p =>
            {
                generation.Metrics = Metrics.With(generation.Metrics, "evaluation", new JsonObject
                {
                    ["done"] = p.Done, ["total"] = p.Total,
                    ["current"] = p.Current is { } c
                        ? new JsonObject { ["suite"] = c.Suite, ["policyId"] = c.PolicyId, ["role"] = c.Role, ["tasksDone"] = p.TasksDone, ["tasks"] = p.TasksTotal }
                        : null,
                });
                await db.SaveChangesAsync(ct);
            },
            ct);
        generation.Metrics = Metrics.With(generation.Metrics, "evaluation", new JsonObject
        {
            ["done"] = results.Count, ["total"] = results.Count,
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["suite"] = r.Target.Suite, ["policyId"] = r.Target.PolicyId, ["role"] = r.Target.Role, ["count"] = r.Result.Count, ["correct"] = r.Result.Correct,
                ["accuracy"] = r.Result.Accuracy, ["ciLow"] = r.Result.CiLow, ["ciHigh"] = r.Result.CiHigh, ["generationId"] = r.Result.GenerationId,
            })]),
        });
    }

    private async Task<bool> TrainAsync(SocraticDbContext db, Campaign campaign, CampaignConfig config, Generation generation, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.GenerationId == generation.Id).OrderByDescending(d => d.Version).FirstAsync(ct);
        var training = await db.TrainingRuns.AsNoTracking().Where(t => t.DatasetId == dataset.Id).OrderBy(t => t.Id).FirstOrDefaultAsync(ct);
        if (training is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var hp = config.Hyperparameters;
            var started = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>().StartAsync(new StartTrainingRequest
            {
                DatasetId = dataset.Id, BasePolicyId = generation.PolicyId, Objective = config.Objective, LoraRank = hp.LoraRank, LoraAlpha = hp.LoraAlpha,
                LearningRate = hp.LearningRate, Epochs = hp.Epochs, BatchSize = hp.BatchSize, Seed = hp.Seed,
            }, Actor, ct);
            jobs.ContinueJobWith<CampaignStepJob>(started.JobId!, j => j.RunAsync(generation.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(Queue), JobContinuationOptions.OnAnyFinishedState);
            return true;
        }

        switch (training.Status)
        {
            case TrainingStatus.Queued or TrainingStatus.Running:
                return true;
            case TrainingStatus.Completed:
                // The trained policy joins the campaign's lineage as the next generation's candidate.
                var policy = await db.Policies.FirstAsync(p => p.Id == training.OutputPolicyId, ct);
                policy.CampaignId = campaign.Id;
                policy.Generation = generation.Number;
                policy.Status = Core.Policies.PolicyStatus.Candidate;
                generation.Step = GenerationStep.Evaluation;
                return false;
            default:
                throw new InvalidOperationException($"training run {training.Id} ended {training.Status}: {training.Error}");
        }
    }

    private async Task FinishAsync(SocraticDbContext db, Campaign campaign, CampaignConfig config, Generation generation, DateTimeOffset now, CancellationToken ct)
    {
        generation.Status = GenerationStatus.Completed;
        generation.CompletedAt = now;
        campaign.CurrentGeneration = generation.Number;

        // The next generation plays the trained candidate unless a decision rolled it back (then CurrentPolicyId says where to).
        var candidate = await db.Policies.Where(p => p.CampaignId == campaign.Id && p.ParentPolicyId == generation.PolicyId && p.Status != Core.Policies.PolicyStatus.RolledBack)
            .OrderByDescending(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
        var rolledBack = await db.Policies.AnyAsync(p => p.CampaignId == campaign.Id && p.ParentPolicyId == generation.PolicyId && p.Status == Core.Policies.PolicyStatus.RolledBack, ct);
        campaign.CurrentPolicyId = rolledBack ? campaign.CurrentPolicyId ?? generation.PolicyId : candidate ?? generation.PolicyId;
        if (generation.Number >= config.Generations)
        {
            campaign.Status = CampaignStatus.Completed;
            return;
        }

        var next = new Generation { CampaignId = campaign.Id, Number = generation.Number + 1, PolicyId = campaign.CurrentPolicyId.Value, StartedAt = now };
        db.Generations.Add(next);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<CampaignStepJob>(Queue, j => j.RunAsync(next.Id, CancellationToken.None));
    }
}
