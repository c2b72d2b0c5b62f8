// The judge output parser is strict: exactly one whole verdict line counts; anything else is "no verdict".
using Socratic.Core.Scoring;

namespace Socratic.Core.Tests.Scoring;

public sealed class JudgeVerdictTests
{
    [Theory]
    [InlineData("A is right because 7 * 8 = 56.\nVERDICT: A", "A")]
    [InlineData("VERDICT: B", "B")]
    [InlineData("reasons\n  VERDICT:B.  \n", "B")]
    [InlineData("reasons\r\nVERDICT: A\r\n", "A")]
    public void One_verdict_line_is_read(string output, string choice)
    {
        var verdict = JudgeVerdict.ParseChoice(output);

        Assert.True(verdict.Parsed, verdict.Error);
        Assert.Equal(choice, verdict.Choice);
    }

    [Theory]
    [InlineData("", "no line")]
    [InlineData("I pick A.", "no line")]
    [InlineData("My VERDICT: A", "no line")]
    [InlineData("VERDICT: A or B", "no line")]
    [InlineData("verdict: a", "no line")]
    [InlineData("VERDICT: C", "no line")]
    [InlineData("VERDICT: A\nVERDICT: B", "2 verdict lines")]
    [InlineData("VERDICT: A\nVERDICT: A", "2 verdict lines")]
    public void Anything_else_is_no_verdict_with_a_reason(string output, string reason)
    {
        var verdict = JudgeVerdict.ParseChoice(output);

        Assert.False(verdict.Parsed);
        Assert.Null(verdict.Choice);
        Assert.Contains(reason, verdict.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Good.\nSCORE: 7", 7)]
    [InlineData("SCORE: 10/10", 10)]
    [InlineData("SCORE: 0", 0)]
    public void A_grade_line_is_read(string output, int grade) =>
        Assert.Equal(grade, JudgeVerdict.ParseGrade(output).Grade);

    [Theory]
    [InlineData("SCORE: 11")]
    [InlineData("SCORE: -1")]
    [InlineData("SCORE: 7.5")]
    [InlineData("SCORE: 3\nSCORE: 9")]
    public void Grades_out_of_range_or_repeated_are_refused(string output) =>
        Assert.False(JudgeVerdict.ParseGrade(output).Parsed);
}
