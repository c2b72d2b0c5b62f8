// Regex scorer, including escaped placeholders and the match timeout on hostile output.
using System.Diagnostics;
using Socratic.Core.Scoring;
using static Socratic.Core.Tests.Scoring.ScoringKit;

namespace Socratic.Core.Tests.Scoring;

public class RegexScorerTests
{
    [Theory]
    [InlineData("She smiled. Lily was happy.", 1.0)]
    [InlineData("she smiled. lily was happy.", 1.0)]
    [InlineData("Lilyanne was happy.", 0.0)]
    [InlineData("The dog was happy.", 0.0)]
    public void Matches_the_task_answer_as_a_whole_word(string text, double expected) =>
        Assert.Equal(expected, ScoreOf(new RegexScorerDefinition { Pattern = @"\b{{task.answer}}\b" }, Solo(text, "Lily")));

    [Fact]
    public void Can_be_case_sensitive()
    {
        var def = new RegexScorerDefinition { Pattern = "Lily", IgnoreCase = false };

        Assert.Equal(0.0, ScoreOf(def, Solo("lily", "x")));
    }

    [Fact]
    public void Placeholder_values_are_literal_text_not_pattern_syntax()
    {
        var def = new RegexScorerDefinition { Pattern = "^{{task.answer}}$" };

        Assert.Equal(1.0, ScoreOf(def, Solo("3.5 (approx)", "3.5 (approx)")));
        Assert.Equal(0.0, ScoreOf(def, Solo("3x5 approx", "3.5 (approx)")));
    }

    [Fact]
    public void A_pattern_needing_a_missing_answer_scores_zero()
    {
        var def = new RegexScorerDefinition { Pattern = @"\b{{task.answer}}\b" };

        Assert.Equal(0.0, ScoreOf(def, Solo("anything", null)));
    }

    [Fact]
    public async Task Catastrophic_backtracking_times_out_instead_of_hanging()
    {
        var def = new RegexScorerDefinition { Pattern = @"^(a|aa)+$" };
        var hostile = new string('a', 5000) + "b";
        var scorer = new ScorerFactory(TimeSpan.FromMilliseconds(100)).Create(def);

        var watch = Stopwatch.StartNew();
        var r = (await scorer.ScoreAsync(Solo(hostile, "x"), CancellationToken.None))[0];
        watch.Stop();

        Assert.Equal(0.0, r.Value);
        Assert.Equal("regex timed out", (string?)r.Details["reason"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
