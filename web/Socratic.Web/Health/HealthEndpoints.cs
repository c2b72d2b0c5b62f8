// GET /health (anonymous): is the database reachable, and does the default model file exist and look like GGUF?
// Loading the model here would cost seconds and memory on every probe; workers prove it loads when they play.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Web.Models;

namespace Socratic.Web.Health;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (SocraticDbContext db, ModelCatalog models, CancellationToken ct) =>
        {
            string database;
            try
            {
                database = await db.Database.CanConnectAsync(ct) ? "ok" : "unreachable";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                database = "error: " + e.Message;
            }

            var path = models.DefaultModelPath;
            var model = path is null ? "none configured" : !File.Exists(path) ? $"missing: {path}" : IsGguf(path) ? "ok" : $"not a GGUF file: {path}";
            var healthy = database == "ok" && model == "ok";
            return Results.Json(new { status = healthy ? "healthy" : "unhealthy", database, model, modelPath = path },
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
    }

    private static bool IsGguf(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic.SequenceEqual("GGUF"u8);
    }
}
