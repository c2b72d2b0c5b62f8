// 1 when the author's pattern matches the answer. Placeholder values are inserted regex-escaped: task data
// ("Mr. Tom (the cat)") is literal text inside the author's pattern, never pattern syntax.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Socratic.Core.Games;
using Socratic.Core.Tasks;

namespace Socratic.Core.Scoring;

public sealed partial class RegexScorer(RegexScorerDefinition definition, TimeSpan? regexTimeout = null)
    : GroundedScorer<RegexScorerDefinition>(definition, regexTimeout)
{
    [GeneratedRegex(@"\{\{\s*task\.answer\s*\}\}")]
    private static partial Regex AnswerPlaceholder();

    [GeneratedRegex(@"\{\{\s*[A-Za-z0-9_.]+\s*\}\}")]
    private static partial Regex AnyPlaceholder();

    /// <summary>The pattern with every placeholder replaced by a literal, to check that it compiles.</summary>
    public static string RenderPatternForCheck(string pattern) => AnyPlaceholder().Replace(pattern, "x");

    protected override double Compare(string answer, ScoringContext context, JsonObject details)
    {
        var task = context.Task;
        if (AnswerPlaceholder().IsMatch(Definition.Pattern) && string.IsNullOrEmpty(task.Answer))
        {
            details["expected"] = Definition.Pattern;
            return Fail(details, "the pattern uses {{task.answer}} but the task has no answer");
        }

        var escaped = new GameTask(Regex.Escape(task.Id), Regex.Escape(task.Prompt), task.Answer is null ? null : Regex.Escape(task.Answer))
        {
            Fields = task.Fields.ToDictionary(kv => kv.Key, kv => Regex.Escape(kv.Value ?? ""), StringComparer.Ordinal),
        };
        var pattern = PromptTemplate.Render(Definition.Pattern, escaped);
        details["expected"] = Truncate(pattern);

        try
        {
            var ok = SafeRegex.Create(pattern, Definition.IgnoreCase, RegexTimeout).IsMatch(answer);
            return Verdict(details, ok, "pattern matched", "pattern did not match");
        }
        catch (RegexMatchTimeoutException)
        {
            return Fail(details, "regex timed out");
        }
        catch (ArgumentException e)
        {
            return Fail(details, $"invalid pattern: {e.Message}");
        }
    }
}
