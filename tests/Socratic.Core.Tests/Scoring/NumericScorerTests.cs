// Numeric scorer and the first-number rule it relies on.
using Socratic.Core.Scoring;
using static Socratic.Core.Tests.Scoring.ScoringKit;

namespace Socratic.Core.Tests.Scoring;

public class NumericScorerTests
{
    [Theory]
    [InlineData("42", 42.0)]
    [InlineData("The answer is -7.", -7.0)]
    [InlineData("result: −12", -12.0)]
    [InlineData("+3 apples", 3.0)]
    [InlineData("about 3.75 metres", 3.75)]
    [InlineData("1,234,567 people", 1234567.0)]
    [InlineData("1,2,3", 1.0)]
    [InlineData("1,2345", 1.0)]
    [InlineData("COVID-19", 19.0)]
    [InlineData("x = 10-3", 10.0)]
    public void First_number_is_read_like_a_person_would(string text, double expected)
    {
        var n = AnswerNumber.FindFirst(text);

        Assert.NotNull(n);
        Assert.Equal(expected, n.Value);
    }

    [Fact]
    public void Text_without_digits_has_no_number() => Assert.Null(AnswerNumber.FindFirst("seven"));

    [Fact]
    public void Trailing_zero_decimals_are_still_integers() => Assert.Equal(7, (int)AnswerNumber.FindFirst("7.00")!.Integer!.Value);

    [Theory]
    [InlineData("11", "11", 1.0)]
    [InlineData("It is 11.", "11", 1.0)]
    [InlineData("11.0", "11", 1.0)]
    [InlineData("-4", "-4", 1.0)]
    [InlineData("12", "11", 0.0)]
    [InlineData("eleven", "11", 0.0)]
    [InlineData("3 + 4 * 2 = 11", "11", 0.0)]
    public void Compares_the_first_number_with_the_expected_answer(string text, string answer, double expected) =>
        Assert.Equal(expected, ScoreOf(new NumericScorerDefinition(), Solo(text, answer)));

    [Fact]
    public void Large_integers_compare_exactly_not_through_doubles()
    {
        const string answer = "123456789012345678901234567890";

        Assert.Equal(1.0, ScoreOf(new NumericScorerDefinition(), Solo(answer, answer)));
        Assert.Equal(0.0, ScoreOf(new NumericScorerDefinition(), Solo("123456789012345678901234567891", answer)));
    }

    [Fact]
    public void Absolute_tolerance_accepts_close_answers()
    {
        var def = new NumericScorerDefinition { Tolerance = 0.01 };

        Assert.Equal(1.0, ScoreOf(def, Solo("3.141", "3.14159")));
        Assert.Equal(0.0, ScoreOf(def, Solo("3.2", "3.14159")));
    }

    [Fact]
    public void Relative_tolerance_scales_with_the_expected_value()
    {
        var def = new NumericScorerDefinition { Tolerance = 0.01, Relative = true };

        Assert.Equal(1.0, ScoreOf(def, Solo("1005", "1000")));
        Assert.Equal(0.0, ScoreOf(def, Solo("1011", "1000")));
    }

    [Fact]
    public void Extract_with_answer_line_picks_the_final_number()
    {
        var def = new NumericScorerDefinition { Extract = @"(?i)answer\s*[:=]\s*([-−+]?\d[\d,]*(?:\.\d+)?)" };

        Assert.Equal(1.0, ScoreOf(def, Solo("3 + 4 * 2 = 3 + 8\nAnswer: 11", "11")));
        Assert.Equal(0.0, ScoreOf(def, Solo("3 + 4 * 2 = 11", "11")));
    }

    [Fact]
    public void A_non_numeric_expectation_scores_zero_with_reason()
    {
        Assert.Equal(0.0, ScoreOf(new NumericScorerDefinition(), Solo("5", null)));
        Assert.Contains("not a number", Reason(new NumericScorerDefinition(), Solo("5", "five")), StringComparison.Ordinal);
    }
}
