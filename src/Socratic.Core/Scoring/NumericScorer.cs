// Numeric answers: the first number in the (extracted) answer against the first number in the rendered
// Expected. Integers compare exactly (BigInteger) when the tolerance is absolute and below 1, so large
// arithmetic answers are not judged by double rounding; otherwise |a − e| ≤ tol (or ≤ tol·|e| if Relative).
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Socratic.Core.Scoring;

public sealed class NumericScorer(NumericScorerDefinition definition, TimeSpan? regexTimeout = null)
    : GroundedScorer<NumericScorerDefinition>(definition, regexTimeout)
{
    protected override double Compare(string answer, ScoringContext context, JsonObject details)
    {
        var expectedText = RenderExpected(Definition.Expected, context);
        details["expected"] = Truncate(expectedText);
        AnswerNumber? expected, actual;
        try
        {
            expected = AnswerNumber.FindFirst(expectedText);
            actual = AnswerNumber.FindFirst(answer);
        }
        catch (RegexMatchTimeoutException)
        {
            return Fail(details, "number search timed out");
        }

        if (expected is null)
        {
            return Fail(details, "expected is not a number (does the task have an answer?)");
        }

        if (actual is null)
        {
            return Fail(details, "no number in the answer");
        }

        details["answerNumber"] = actual.Text;
        bool ok;
        if (!Definition.Relative && Definition.Tolerance < 1 && actual.Integer is { } a && expected.Integer is { } e)
        {
            ok = a == e;
        }
        else
        {
            var limit = Definition.Relative ? Definition.Tolerance * Math.Abs(expected.Value) : Definition.Tolerance;
            ok = Math.Abs(actual.Value - expected.Value) <= limit;
        }

        return Verdict(details, ok, "equal within tolerance", "different number");
    }
}
