// Minimal {{placeholder}} substitution for role instructions, openings and expected answers.
// Deliberately not a template language: game authors write text, and model output is never rendered through it.
using System.Text.RegularExpressions;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static partial class PromptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Replaces {{task.prompt}}, {{task.answer}}, {{task.id}}, {{task.FIELD}} and any name in <paramref name="extra"/>.
    /// Unknown placeholders are left as written so a typo is visible in the transcript.</summary>
    public static string Render(string template, GameTask task, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (string.IsNullOrEmpty(template) || !template.Contains("{{", StringComparison.Ordinal))
        {
            return template;
        }

        return Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (extra is not null && extra.TryGetValue(name, out var v))
            {
                return v;
            }

            return name switch
            {
                "task.prompt" => task.Prompt,
                "task.answer" => task.Answer ?? "",
                "task.id" => task.Id,
                _ when name.StartsWith("task.", StringComparison.Ordinal)
                    && task.Fields.TryGetValue(name["task.".Length..], out var f) => f,
                _ => m.Value,
            };
        });
    }
}
