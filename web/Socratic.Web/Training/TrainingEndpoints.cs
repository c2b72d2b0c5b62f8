// HTTP API for datasets and training runs: upload a JSONL dataset (each line checked by the trainer's reader),
// start, follow and cancel training runs. Researchers write, observers read.
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Training;
using Socratic.Training.Datasets;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Training;

public static class TrainingEndpoints
{
    public static void MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets").AddEndpointFilter<ValidationExceptionFilter>();

        datasets.MapPost("/", async (string? name, string? kind, HttpRequest request, HttpContext http, SocraticDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            {
                errors.Add(new("name", "is required (at most 200 characters)"));
            }

            var parsed = DatasetStore.ParseKind(kind ?? "chat");
            if (parsed is null)
            {
                errors.Add(new("kind", "must be chat, preference or groups"));
            }

            if (errors.Count > 0)
            {
                return ApiErrors.BadRequest(errors);
            }

            var body = await JsonBody.ReadTextAsync(request, ct);
            try
            {
                var dataset = await DatasetStore.StoreAsync(db, name!.Trim(), parsed!.Value, body, http.User.Identity?.Name ?? "unknown", time.GetUtcNow(), ct);
                return Results.Created($"/api/datasets/{dataset.Id}", new { dataset.Id, dataset.Name, dataset.Version, Kind = dataset.Kind.ToString(), dataset.ItemCount, dataset.Sha256 });
            }
            catch (DatasetFormatException e)
            {
                return ApiErrors.BadRequest([new($"line {e.LineNumber}", e.Message)], "The dataset is invalid.");
            }
        }).RequireAuthorization(Policies.Author);

        datasets.MapGet("/", async (SocraticDbContext db, CancellationToken ct) =>
            (await DatasetCatalog.ListAsync(db, ct)).Select(d => new
            {
                d.Id, d.Name, d.Version, d.Kind, d.ItemCount, d.Sha256, d.CreatedAt, d.CampaignId, d.GenerationId, d.Source, d.Games, d.Generations,
            }))
            .RequireAuthorization(Policies.Watch);

        datasets.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d
                ? Results.Ok(new { d.Id, d.Name, d.Version, Kind = d.Kind.ToString(), d.ItemCount, d.Sha256, Card = JsonNode.Parse(d.Card), d.CreatedAt })
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        // Downloads: the JSONL the trainer reads (items in order) and the dataset card.
        datasets.MapGet("/{id:long}/download", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d
                ? Results.Stream(
                    stream => DatasetCatalog.WriteJsonlAsync(db, d.Id, stream, ct), "application/x-ndjson; charset=utf-8", DatasetCatalog.FileStem(d) + ".jsonl")
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        datasets.MapGet("/{id:long}/card", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(DatasetCatalog.CardJson(d)), "application/json; charset=utf-8", DatasetCatalog.FileStem(d) + ".card.json")
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        var runs = app.MapGroup("/api/training-runs").AddEndpointFilter<ValidationExceptionFilter>();

        runs.MapPost("/", async (HttpRequest request, HttpContext http, TrainingLauncher launcher, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<StartTrainingRequest>(request, ct);
            var run = await launcher.StartAsync(body, http.User.Identity?.Name ?? "unknown", ct);
            return Results.Accepted($"/api/training-runs/{run.Id}", new { run.Id, Status = run.Status.ToString() });
        }).RequireAuthorization(Policies.Author);

        runs.MapGet("/{id:long}", async (long id, SocraticDbContext db, CancellationToken ct) =>
            await db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r
                ? Results.Ok(new
                {
                    r.Id, r.DatasetId, r.BasePolicyId, r.OutputPolicyId, r.Objective, Hyperparameters = JsonNode.Parse(r.Hyperparameters),
                    Status = r.Status.ToString(), r.StepsDone, r.TotalSteps, LossCurve = JsonNode.Parse(r.LossCurve), r.Error,
                    r.CreatedAt, r.StartedAt, r.CompletedAt,
                })
                : Results.NotFound()).RequireAuthorization(Policies.Watch);

        runs.MapPost("/{id:long}/cancel", async (long id, HttpContext http, TrainingLauncher launcher, CancellationToken ct) =>
            await launcher.CancelAsync(id, http.User.Identity?.Name ?? "unknown", ct) ? Results.Accepted() : Results.NotFound())
            .RequireAuthorization(Policies.Author);
    }
}
