// The string-comparison scorers: exact match and containment. Both refuse to reward an empty expectation
// (a task without an answer) rather than letting every reply "contain" the empty string.
using System.Text.Json.Nodes;

namespace Socratic.Core.Scoring;

/// <summary>1 when the trimmed answer equals the rendered Expected (ordinal, case-folded unless CaseSensitive).</summary>
public sealed class ExactMatchScorer(ExactMatchScorerDefinition definition, TimeSpan? regexTimeout = null)
    : GroundedScorer<ExactMatchScorerDefinition>(definition, regexTimeout)
{
    protected override double Compare(string answer, ScoringContext context, JsonObject details)
    {
        var expected = RenderExpected(Definition.Expected, context).Trim();
        details["expected"] = Truncate(expected);
        if (expected.Length == 0)
        {
            return Fail(details, "expected is empty (does the task have an answer?)");
        }

        var comparison = Definition.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Verdict(details, string.Equals(answer.Trim(), expected, comparison), "equal", "not equal");
    }
}

/// <summary>1 when the answer contains the rendered Value (ordinal, case-folded unless CaseSensitive).</summary>
public sealed class ContainsScorer(ContainsScorerDefinition definition, TimeSpan? regexTimeout = null)
    : GroundedScorer<ContainsScorerDefinition>(definition, regexTimeout)
{
    protected override double Compare(string answer, ScoringContext context, JsonObject details)
    {
        var value = RenderExpected(Definition.Value, context);
        details["expected"] = Truncate(value);
        if (value.Length == 0)
        {
            return Fail(details, "expected value is empty (does the task have an answer?)");
        }

        var comparison = Definition.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Verdict(details, answer.Contains(value, comparison), "contains", "does not contain");
    }
}
