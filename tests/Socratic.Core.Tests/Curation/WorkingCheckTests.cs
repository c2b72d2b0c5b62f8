// The process check self-training curation applies to arithmetic working: true steps pass, one false step fails
// the attempt, chains follow * before + and -, negative operands are read as prompts write them, and a text with
// no equation passes (the final-answer scorer still decides it).
using Socratic.Core.Curation;
using Socratic.Core.Training;

namespace Socratic.Core.Tests.Curation;

public sealed class WorkingCheckTests
{
    [Fact]
    public void Carry_rest_working_with_every_step_right_passes()
    {
        const string text = "3 + 5 = 8, then 8 + 2 + 7\n8 + 2 = 10, then 10 + 7\n10 + 7 = 17\nAnswer: 17";

        Assert.Equal((3, 3), WorkingCheck.Count(text));
        Assert.True(WorkingCheck.NoFalseStep(text));
    }

    [Fact]
    public void A_lucky_answer_under_a_false_step_fails()
    {
        // The final number is right (24 + 12 = 36) but the working that led there is not.
        const string text = "14 + 10 = 26\nAnswer: 36";

        Assert.Equal((1, 0), WorkingCheck.Count(text));
        Assert.False(WorkingCheck.NoFalseStep(text));
    }

    [Theory]
    [InlineData("3 + 4 * 2 = 11", true)]
    [InlineData("3 + 4 * 2 = 14", false)]
    [InlineData("5 - (-3) = 8", true)]
    [InlineData("-4 + 10 = 6", true)]
    [InlineData("10 -3 = 7", true)]
    [InlineData("2 * 3 - 10 = -4", true)]
    [InlineData("7 + 8 = 150", false)]
    public void Chains_are_evaluated_with_precedence_and_signs(string text, bool right) =>
        Assert.Equal(right, WorkingCheck.NoFalseStep(text));

    [Fact]
    public void An_equation_never_spans_lines()
    {
        // "2 + 7" ends its line; the next line's equation is judged on its own.
        const string text = "then 8 + 2 + 7\n8 + 2 = 10";

        Assert.Equal((1, 1), WorkingCheck.Count(text));
    }

    [Fact]
    public void Text_without_equations_passes() =>
        Assert.True(WorkingCheck.NoFalseStep("Answer: 12"));

    [Fact]
    public void An_answer_that_is_not_the_last_equations_result_is_inconsistent()
    {
        // Every equation is true, yet the answer did not come from the working: a lucky number.
        Assert.False(WorkingCheck.Consistent("3 + 1 = 4, then 4 + 1\n4 + 0 = 4\nAnswer: 6"));
        Assert.True(WorkingCheck.Consistent("3 + 1 = 4, then 4 + 2\n4 + 2 = 6\nAnswer: 6"));
        Assert.True(WorkingCheck.Consistent("Answer: 6"));
    }

    [Fact]
    public void The_canonical_carry_rest_derivation_of_the_task_passes()
    {
        var text = GameDialogueGenerator.Working(GameDialogueGenerator.Solve([3, 5, 2, 7], ["+", "-", "+"]), WorkingStyle.CarryRest, [3, 5, 2, 7], ["+", "-", "+"]);

        Assert.True(WorkingCheck.Derivation("3 + 5 - 2 + 7", text), text);
        Assert.True(WorkingCheck.Derivation("3 + 5 - 2 + 7", "\n  " + text.Replace("\n", "\n\n", StringComparison.Ordinal) + "  \n"));
    }

    [Theory]
    [InlineData("3 + 5 = 8, then 8 + 7\n8 + 7 = 15\nAnswer: 15")] // dropped an operand, right equations
    [InlineData("3 + 5 = 8, then 8 + 2 + 7\n8 + 2 = 10, then 10 + 7\nAnswer: 17")] // skipped the last step
    [InlineData("3 + 5 = 8, then 8 + 2 + 7\n8 + 2 = 10, then 10 + 7\n10 + 7 = 17\nAnswer: 17\nAnswer: 17")] // extra line
    [InlineData("5 + 3 = 8, then 8 + 2 + 7\n8 + 2 = 10, then 10 + 7\n10 + 7 = 17\nAnswer: 17")] // operands out of order
    [InlineData("3 + 5 = 8, then 8 + 2 + 7\n8 + 2 = 10, then 10 + 7\n10 + 7 = 17")] // no answer line
    public void Working_that_departs_from_the_derivation_fails(string text) =>
        Assert.False(WorkingCheck.Derivation("3 + 5 + 2 + 7", text));
}
