// Uploading a task list: POST a JSONL or CSV file, get back the parsed tasks (a preview, or the items to put in
// a game's "list" task source), or a 400 whose errors name each bad line. Nothing is stored here: the tasks are
// stored with the game version that uses them, so a version always carries exactly the tasks it was played on.
using Socratic.Core.Tasks;
using Socratic.Web.Api;
using Socratic.Web.Auth;

namespace Socratic.Web.Games;

public static class TaskUploadEndpoints
{
    public static void MapTaskUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tasks/parse", async (HttpRequest request, string? format, string? fileName, int? max, CancellationToken ct) =>
        {
            TaskListFormat parsedFormat;
            if (format is not null)
            {
                if (!Enum.TryParse(format, ignoreCase: true, out parsedFormat))
                {
                    return ApiErrors.BadRequest([new("format", "use jsonl or csv")]);
                }
            }
            else if (fileName is not null)
            {
                try
                {
                    parsedFormat = TaskListParser.FormatFromFileName(fileName);
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    return ApiErrors.BadRequest([new("fileName", e.Message)]);
                }
            }
            else
            {
                return ApiErrors.BadRequest([new("format", "say format=jsonl|csv (or fileName=tasks.jsonl)")]);
            }

            try
            {
                var text = await JsonBody.ReadTextAsync(request, ct);
                var result = TaskListParser.Parse(text, parsedFormat, max is > 0 ? max : null);
                return Results.Ok(new { items = result.Items, count = result.Items.Count, truncated = result.Truncated });
            }
            catch (TaskListFormatException e)
            {
                return ApiErrors.BadRequest(e.Errors.Select(x => new FieldError($"line {x.Line}", x.Message)), "The task list is invalid.");
            }
        }).RequireAuthorization(Policies.Author).AddEndpointFilter<ValidationExceptionFilter>();
    }
}
