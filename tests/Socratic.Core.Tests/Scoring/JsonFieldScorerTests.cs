// JSON-field scorer: finding the object in prose, paths, and typed comparison.
using Socratic.Core.Scoring;
using static Socratic.Core.Tests.Scoring.ScoringKit;

namespace Socratic.Core.Tests.Scoring;

public class JsonFieldScorerTests
{
    [Theory]
    [InlineData("{\"answer\": \"Paris\"}", "Paris", 1.0)]
    [InlineData("Sure! ```json\n{\"answer\": \"paris\"}\n``` done", "Paris", 1.0)]
    [InlineData("{\"answer\": 42}", "42", 1.0)]
    [InlineData("{\"answer\": 42.0}", "42", 1.0)]
    [InlineData("{\"answer\": 41}", "42", 0.0)]
    [InlineData("{\"answer\": \"London\"}", "Paris", 0.0)]
    [InlineData("{\"answer\": true}", "true", 1.0)]
    public void Compares_the_field_value_with_the_answer(string text, string answer, double expected) =>
        Assert.Equal(expected, ScoreOf(new JsonFieldScorerDefinition(), Solo(text, answer)));

    [Fact]
    public void Follows_dot_paths_through_objects_and_arrays()
    {
        var def = new JsonFieldScorerDefinition { Path = "result.items.1.name" };

        Assert.Equal(1.0, ScoreOf(def, Solo("{\"result\": {\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}", "b")));
    }

    [Fact]
    public void Skips_braces_that_are_not_json_and_braces_inside_strings()
    {
        var text = "Use {x} here. {\"note\": \"a } brace\", \"answer\": \"7\"} trailing }";

        Assert.Equal(1.0, ScoreOf(new JsonFieldScorerDefinition(), Solo(text, "7")));
    }

    [Theory]
    [InlineData("no json here", "no JSON object found")]
    [InlineData("{\"other\": 1}", "path 'answer' not found")]
    [InlineData("{\"answer\": {\"x\": 1}}", "value at path is not a scalar")]
    [InlineData("{\"answer\": 5", "no JSON object found")]
    public void Failures_score_zero_with_a_reason(string text, string reason)
    {
        Assert.Equal(0.0, ScoreOf(new JsonFieldScorerDefinition(), Solo(text, "5")));
        Assert.Equal(reason, Reason(new JsonFieldScorerDefinition(), Solo(text, "5")));
    }

    [Fact]
    public void Candidate_search_is_bounded_on_brace_floods()
    {
        var text = new string('{', 20_000) + "{\"answer\": 1}";

        Assert.Equal(0.0, ScoreOf(new JsonFieldScorerDefinition(), Solo(text, "1")));
    }
}
