// OpenAI-compatible serving of any policy (base model + adapter), so other tools — SDKs, evaluation harnesses,
// another Socratic's remote policy backend — can use what the loop trained. `model` names a policy by id, by
// name, or "default". Streaming uses server-sent events in OpenAI's chunk format. Researchers and admins only:
// generation costs CPU, and the prompt is whatever the caller sends.
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Socratic.Core.Data;
using Socratic.Core.Policies;
using Socratic.Web.Auth;
using Socratic.Web.Hosting;
using Socratic.Web.Models;

namespace Socratic.Web.Serving;

public static class ServingEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapServingEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").RequireAuthorization(Auth.Policies.Author);
        v1.MapGet("/models", async (SocraticDbContext db, ModelCatalog catalog, CancellationToken ct) => Results.Json(new
        {
            @object = "list",
            data = (await ListAsync(db, catalog, ct))
                .Select(p => new { id = p.Name, @object = "model", created = p.CreatedAt.ToUnixTimeSeconds(), owned_by = "socratic" }),
        }));
        v1.MapPost("/chat/completions", CompleteAsync);
    }

    private static async Task CompleteAsync(
        HttpContext http, SocraticDbContext db, ModelCatalog catalog, IPolicyProvider policies, IOptions<ServingOptions> options, TimeProvider time, CancellationToken ct)
    {
        ChatCompletionRequest request;
        Policy? policy;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            request = ChatCompletionParser.Parse(body.RootElement);
            if (request.MaxTokens > options.Value.MaxTokensLimit)
            {
                throw new OpenAiRequestException("max_tokens", $"at most {options.Value.MaxTokensLimit} completion tokens may be asked for");
            }

            policy = await ResolveAsync(db, catalog, request.Model, ct);
        }
        catch (JsonException e)
        {
            await ErrorAsync(http, 400, "$", $"the body is not valid JSON: {e.Message}");
            return;
        }
        catch (OpenAiRequestException e)
        {
            await ErrorAsync(http, 400, e.Param, e.Message);
            return;
        }

        if (policy is null)
        {
            await ErrorAsync(http, 404, "model", $"no policy '{request.Model}' (use a policy id, a policy name, or \"default\"; GET /v1/models lists them)", "model_not_found");
            return;
        }

        var defaults = new SamplingSettings();
        var sampling = defaults with
        {
            Temperature = request.Temperature ?? defaults.Temperature,
            TopP = request.TopP ?? defaults.TopP,
            TopK = request.TopK ?? defaults.TopK,
            MaxTokens = request.MaxTokens ?? options.Value.DefaultMaxTokens,
            Stop = request.Stop,
            Seed = request.Seed,
        };
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            var runtime = await policies.GetAsync(policy.ToSpec(), ct);
            if (request.Stream)
            {
                await StreamAsync(http, runtime, request, sampling, id, created, policy.Name, ct);
                return;
            }

            var result = await runtime.GenerateAsync(request.Messages, sampling, null, ct);
            await http.Response.WriteAsJsonAsync(new
            {
                id, @object = "chat.completion", created, model = policy.Name,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = result.Text }, finish_reason = Finish(result.FinishReason) } },
                usage = Usage(result),
            }, Json, ct);
        }
        catch (PromptTooLongException e) when (!http.Response.HasStarted)
        {
            await ErrorAsync(http, 400, "messages", e.Message, "context_length_exceeded");
        }
        catch (ModelLoadException e) when (!http.Response.HasStarted)
        {
            await ErrorAsync(http, 503, "model", e.Message, "model_unavailable");
        }
    }

    private static async Task StreamAsync(
        HttpContext http, IPolicy runtime, ChatCompletionRequest request, SamplingSettings sampling, string id, long created, string model, CancellationToken ct)
    {
        // The runtime calls onToken on its decode thread; a channel hands pieces to this request's thread in order.
        var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var generation = Task.Run(async () =>
        {
            try
            {
                return await runtime.GenerateAsync(request.Messages, sampling, piece => pieces.Writer.TryWrite(piece), ct);
            }
            finally
            {
                pieces.Writer.TryComplete();
            }
        }, ct);

        // Errors found before the first byte (prompt too long, say) still get a proper status and error body. The
        // channel closes in the generation's finally, a moment before the task itself is marked faulted: a channel that
        // closed without a piece means the generation is ending, so wait for it and let its error surface here.
        var firstPiece = pieces.Reader.WaitToReadAsync(ct).AsTask();
        await Task.WhenAny(generation, firstPiece);
        if (generation.IsFaulted || firstPiece is { IsCompletedSuccessfully: true, Result: false })
        {
            await generation; // rethrows for the caller's handlers
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        object Chunk(object delta, string? finish) => new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };
        await SendAsync(http, Chunk(new { role = "assistant", content = "" }, null), ct);
        await foreach (var piece in pieces.Reader.ReadAllAsync(ct))
        {
            await SendAsync(http, Chunk(new { content = piece }, null), ct);
        }

        var result = await generation;
        await SendAsync(http, Chunk(new { }, Finish(result.FinishReason)), ct);
        if (request.IncludeUsage)
        {
            await SendAsync(http, new { id, @object = "chat.completion.chunk", created, model, choices = Array.Empty<object>(), usage = Usage(result) }, ct);
        }

        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private static async Task SendAsync(HttpContext http, object payload, CancellationToken ct)
    {
        await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload, Json)}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static object Usage(GenerationResult r) =>
        new { prompt_tokens = r.PromptTokens, completion_tokens = r.CompletionTokens, total_tokens = r.PromptTokens + r.CompletionTokens };

    private static string Finish(FinishReason reason) => reason is FinishReason.Length or FinishReason.ContextFull ? "length" : "stop";

    private static async Task<List<Policy>> ListAsync(SocraticDbContext db, ModelCatalog catalog, CancellationToken ct)
    {
        await catalog.EnsureDefaultPolicyAsync(db, ct); // the default model is servable before anything has played on it
        return await db.Policies.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
    }

    /// <summary>"default" (or empty) is the product's default model; a number is a policy id; anything else a policy name.</summary>
    public static async Task<Policy?> ResolveAsync(SocraticDbContext db, ModelCatalog catalog, string model, CancellationToken ct)
    {
        var fallback = await catalog.EnsureDefaultPolicyAsync(db, ct); // registers it, so its name resolves too
        if (string.IsNullOrWhiteSpace(model) || model == "default")
        {
            return fallback;
        }

        return long.TryParse(model, out var id)
            ? await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct)
            : await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Name == model, ct);
    }

    private static Task ErrorAsync(HttpContext http, int status, string param, string message, string? code = null)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error = new { message, type = "invalid_request_error", param, code } });
    }
}
