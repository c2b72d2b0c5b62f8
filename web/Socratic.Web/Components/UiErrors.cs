// Turns what a page action threw into the sentence the page shows: validation errors name their field, a refused
// action says so, anything else shows its message (the page stays usable; nothing the user typed is cleared).
using Socratic.Core.Games;
using Socratic.Web.Api;

namespace Socratic.Web.Components;

public static class UiErrors
{
    public static string Describe(Exception e) => e switch
    {
        RequestValidationException v => string.Join("; ", v.Errors.Select(x => $"{x.Field}: {x.Message}")),
        GameDefinitionException g => string.Join("; ", g.Errors.Select(x => $"{x.Field}: {x.Message}")),
        UnauthorizedAccessException => "Not allowed: " + e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
