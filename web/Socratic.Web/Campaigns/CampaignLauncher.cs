// Starts campaigns: a validated request becomes a Campaign with its games and weights, generation 1, and the
// first step job.
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Campaigns;
using Socratic.Core.Data;
using Socratic.Core.Evaluation;
using Socratic.Core.Games;
using Socratic.Web.Api;
using Socratic.Web.Models;

namespace Socratic.Web.Campaigns;

public sealed record CampaignGameRequest(long GameId, double Weight = 1.0);

public sealed record StartCampaignRequest(string Name, IReadOnlyList<CampaignGameRequest> Games, long? PolicyId = null, JsonElement? Config = null);

public sealed class CampaignLauncher(SocraticDbContext db, IBackgroundJobClient jobs, ModelCatalog models, TimeProvider time)
{
    public async Task<Campaign> StartAsync(StartCampaignRequest request, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add(new("name", "is required (at most 200 characters)"));
        }
        else if (await db.Campaigns.AnyAsync(c => c.Name == request.Name, ct))
        {
            errors.Add(new("name", $"a campaign named '{request.Name}' exists"));
        }

        if (request.Games is not { Count: > 0 })
        {
            errors.Add(new("games", "name at least one game"));
        }
        else
        {
            var ids = request.Games.Select(g => g.GameId).ToList();
            var known = await db.Games.Where(g => ids.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
            for (var i = 0; i < request.Games.Count; i++)
            {
                if (!known.Contains(request.Games[i].GameId))
                {
                    errors.Add(new($"games[{i}].gameId", $"no game {request.Games[i].GameId}"));
                }

                if (request.Games[i].Weight is < 0 or > 1000 || double.IsNaN(request.Games[i].Weight))
                {
                    errors.Add(new($"games[{i}].weight", "must be between 0 and 1000"));
                }
            }
        }

        CampaignConfig config = new();
        try
        {
            config = request.Config is { ValueKind: JsonValueKind.Object } c ? c.Deserialize<CampaignConfig>(GameJson.Options) ?? new() : new();
        }
        catch (JsonException e)
        {
            errors.Add(new("config" + (e.Path is { Length: > 1 } p ? p[1..] : ""), e.Message));
        }

        if (config.Generations is < 1 or > 1000)
        {
            errors.Add(new("config.generations", "must be between 1 and 1000"));
        }

        if (config.EpisodesPerGeneration is < 1 or > 100_000)
        {
            errors.Add(new("config.episodesPerGeneration", "must be between 1 and 100000"));
        }

        if (config.OpponentPoolShare is < 0 or > 1 || double.IsNaN(config.OpponentPoolShare))
        {
            errors.Add(new("config.opponentPoolShare", "must be between 0 and 1"));
        }

        if (config.OpponentPoolSize is < 0 or > 100)
        {
            errors.Add(new("config.opponentPoolSize", "must be between 0 and 100"));
        }

        if (config.Temperature is < 0 or > 5 || double.IsNaN(config.Temperature))
        {
            errors.Add(new("config.temperature", "must be between 0 and 5"));
        }

        for (var i = 0; i < config.EvalSuites.Count; i++)
        {
            if (EvaluationSuites.Find(config.EvalSuites[i]) is null)
            {
                errors.Add(new($"config.evalSuites[{i}]", $"no suite '{config.EvalSuites[i]}'; suites: {string.Join(", ", EvaluationSuites.All.Select(s => s.Name))}"));
            }
        }

        if (config.EvalTasks is < 1 or > EvaluationRunner.MaxCount)
        {
            errors.Add(new("config.evalTasks", $"must be between 1 and {EvaluationRunner.MaxCount}"));
        }

        var policyId = request.PolicyId ?? (await models.EnsureDefaultPolicyAsync(db, ct))?.Id;
        if (policyId is null || !await db.Policies.AnyAsync(p => p.Id == policyId, ct))
        {
            errors.Add(new("policyId", request.PolicyId is null ? "no policy given and no default model configured" : $"no policy {request.PolicyId}"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var now = time.GetUtcNow();
        var campaign = new Campaign
        {
            Name = request.Name, Config = config.ToJson(), Status = CampaignStatus.Running, StartPolicyId = policyId!.Value, CurrentPolicyId = policyId,
            CurrentGeneration = 0, CreatedAt = now, CreatedBy = actor,
            Games = [.. request.Games.DistinctBy(g => g.GameId).Select(g => new CampaignGame { GameId = g.GameId, Weight = g.Weight })],
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        var first = new Generation { CampaignId = campaign.Id, Number = 1, PolicyId = policyId.Value, StartedAt = now };
        db.Generations.Add(first);
        db.AuditLog.Add(new AuditEntry { At = now, Actor = actor, Action = "campaign.started", EntityType = "Campaign", EntityId = campaign.Id.ToString() });
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<CampaignStepJob>(CampaignStepJob.Queue, j => j.RunAsync(first.Id, CancellationToken.None));
        return campaign;
    }
}
