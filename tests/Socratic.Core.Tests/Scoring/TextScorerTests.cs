// Exact-match and contains scorers.
using Socratic.Core.Scoring;
using static Socratic.Core.Tests.Scoring.ScoringKit;

namespace Socratic.Core.Tests.Scoring;

public class TextScorerTests
{
    [Theory]
    [InlineData("Paris", "Paris", 1.0)]
    [InlineData("  paris \n", "Paris", 1.0)]
    [InlineData("Paris.", "Paris", 0.0)]
    [InlineData("London", "Paris", 0.0)]
    public void Exact_match_trims_and_ignores_case_by_default(string text, string answer, double expected) =>
        Assert.Equal(expected, ScoreOf(new ExactMatchScorerDefinition(), Solo(text, answer)));

    [Fact]
    public void Exact_match_can_be_case_sensitive()
    {
        var def = new ExactMatchScorerDefinition { CaseSensitive = true };

        Assert.Equal(0.0, ScoreOf(def, Solo("paris", "Paris")));
        Assert.Equal(1.0, ScoreOf(def, Solo("Paris", "Paris")));
    }

    [Fact]
    public void Exact_match_renders_placeholders_in_expected()
    {
        var ctx = Context(Game("solver"), new Socratic.Core.Tasks.GameTask("t", "q", "x") { Fields = new Dictionary<string, string> { ["capital"] = "Rome" } }, ("solver", "rome"));

        Assert.Equal(1.0, ScoreOf(new ExactMatchScorerDefinition { Expected = "{{task.capital}}" }, ctx));
    }

    [Fact]
    public void Exact_match_never_rewards_an_empty_expectation()
    {
        Assert.Equal(0.0, ScoreOf(new ExactMatchScorerDefinition(), Solo("", null)));
        Assert.Contains("empty", Reason(new ExactMatchScorerDefinition(), Solo("", null)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Then Lily went home.", "Lily", 1.0)]
    [InlineData("then LILY went home.", "Lily", 1.0)]
    [InlineData("Then Tom went home.", "Lily", 0.0)]
    [InlineData("", "Lily", 0.0)]
    public void Contains_finds_the_value_ignoring_case(string text, string answer, double expected) =>
        Assert.Equal(expected, ScoreOf(new ContainsScorerDefinition(), Solo(text, answer)));

    [Fact]
    public void Contains_can_be_case_sensitive()
    {
        Assert.Equal(0.0, ScoreOf(new ContainsScorerDefinition { CaseSensitive = true }, Solo("lily", "Lily")));
    }

    [Fact]
    public void Contains_never_rewards_an_empty_value()
    {
        Assert.Equal(0.0, ScoreOf(new ContainsScorerDefinition(), Solo("anything", null)));
    }
}
