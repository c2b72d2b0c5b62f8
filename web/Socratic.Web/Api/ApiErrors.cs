// How the API reports bad input: 400 problem details whose "errors" map names each offending field
// (JSON path style, e.g. "scoring[0].kind"). Bodies are read by JsonBody so malformed JSON names its field too.
using System.Text.Json;
using Socratic.Core.Games;

namespace Socratic.Web.Api;

public sealed record FieldError(string Field, string Message);

public sealed class RequestValidationException(IReadOnlyList<FieldError> errors)
    : Exception("Invalid request: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

public static class ApiErrors
{
    public static IResult BadRequest(IEnumerable<FieldError> errors, string title = "The request is invalid.") =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: title);

    public static IResult From(GameDefinitionException e) =>
        BadRequest(e.Errors.Select(x => new FieldError(x.Field, x.Message)), "The game definition is invalid.");
}

public static class JsonBody
{
    public const int MaxBytes = 1 << 20;

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new RequestValidationException([new("$", $"the body is larger than {MaxBytes} bytes")]);
        }

        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        if (read > MaxBytes)
        {
            throw new RequestValidationException([new("$", $"the body is larger than {MaxBytes} bytes")]);
        }

        return new string(buffer, 0, read);
    }

    /// <summary>Deserializes strictly (unknown fields rejected); errors name the JSON path.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options)
                ?? throw new RequestValidationException([new("$", "a JSON object is required")]);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "$" : e.Path.TrimStart('$', '.');
            throw new RequestValidationException([new(field.Length == 0 ? "$" : field, Clean(e.Message))]);
        }
    }

    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };
}

/// <summary>Maps validation exceptions thrown anywhere in an endpoint to 400s.</summary>
public sealed class ValidationExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RequestValidationException e)
        {
            return ApiErrors.BadRequest(e.Errors);
        }
        catch (GameDefinitionException e)
        {
            return ApiErrors.From(e);
        }
    }
}
