// Behaviour shared by every grounded scorer: which role and turn are scored, Extract, Opponents, details.
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using static Socratic.Core.Tests.Scoring.ScoringKit;

namespace Socratic.Core.Tests.Scoring;

public class GroundedScorerTests
{
    private static readonly GameTask Task = new("t1", "What is 2 + 3?", "5");

    [Fact]
    public void Scores_the_last_turn_of_the_named_role()
    {
        var ctx = Context(Game("explorer", "critic"), Task, ("explorer", "4"), ("critic", "wrong"), ("explorer", "5"), ("critic", "ok"));

        var results = Score(new ExactMatchScorerDefinition { Role = "explorer" }, ctx);

        var r = Assert.Single(results);
        Assert.Equal("explorer", r.Role);
        Assert.Equal(1.0, r.Value);
        Assert.Equal(2, (int)r.Details["turn"]!);
    }

    [Fact]
    public void Without_a_role_scores_the_last_role_that_spoke()
    {
        var ctx = Context(Game("a", "b"), Task, ("a", "5"), ("b", "6"));

        var r = Assert.Single(Score(new ExactMatchScorerDefinition(), ctx));

        Assert.Equal("b", r.Role);
        Assert.Equal(0.0, r.Value);
    }

    [Fact]
    public void A_role_that_never_spoke_scores_zero_with_a_reason()
    {
        var ctx = Context(Game("a", "b"), Task, ("a", "5"));

        var r = Assert.Single(Score(new ExactMatchScorerDefinition { Role = "b" }, ctx));

        Assert.Equal(0.0, r.Value);
        Assert.Contains("never spoke", (string?)r.Details["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_episode_scores_the_last_role_in_turn_order_zero()
    {
        var ctx = Context(Game("a", "b"), Task);

        var r = Assert.Single(Score(new ExactMatchScorerDefinition(), ctx));

        Assert.Equal("b", r.Role);
        Assert.Equal(0.0, r.Value);
    }

    [Fact]
    public void Extract_uses_group_one_when_present()
    {
        var def = new ExactMatchScorerDefinition { Extract = @"Answer:\s*(\S+)" };

        Assert.Equal(1.0, ScoreOf(def, Solo("I think... Answer: 5", "5")));
        Assert.Equal("5", (string?)Score(def, Solo("Answer: 5", "5"))[0].Details["answer"]);
    }

    [Fact]
    public void Extract_without_groups_uses_the_whole_match()
    {
        var def = new ExactMatchScorerDefinition { Extract = @"\d+" };

        Assert.Equal(1.0, ScoreOf(def, Solo("it is 5 apples", "5")));
    }

    [Fact]
    public void Extract_with_no_match_scores_zero_with_reason()
    {
        var def = new ExactMatchScorerDefinition { Extract = @"Answer:\s*(\d+)" };

        Assert.Equal(0.0, ScoreOf(def, Solo("5", "5")));
        Assert.Equal("no answer extracted", Reason(def, Solo("5", "5")));
    }

    [Fact]
    public void Complement_gives_other_roles_one_minus_the_value()
    {
        var ctx = Context(Game("solver", "adversary", "judge"), Task, ("adversary", "x"), ("solver", "5"));

        var results = Score(new ExactMatchScorerDefinition { Role = "solver", Opponents = OpponentScoring.Complement }, ctx);

        Assert.Equal(3, results.Count);
        Assert.Equal(1.0, results.Single(r => r.Role == "solver").Value);
        Assert.Equal(0.0, results.Single(r => r.Role == "adversary").Value);
        Assert.Equal(0.0, results.Single(r => r.Role == "judge").Value);
        Assert.Equal("solver", (string?)results.Single(r => r.Role == "judge").Details["scoredRole"]);
    }

    [Fact]
    public void Complement_of_a_failure_rewards_the_opponent()
    {
        var ctx = Context(Game("solver", "adversary"), Task, ("solver", "6"));

        var results = Score(new ExactMatchScorerDefinition { Role = "solver", Opponents = OpponentScoring.Complement }, ctx);

        Assert.Equal(1.0, results.Single(r => r.Role == "adversary").Value);
    }

    [Fact]
    public void Same_gives_other_roles_the_same_value()
    {
        var ctx = Context(Game("explorer", "critic"), Task, ("explorer", "5"), ("critic", "fine"));

        var results = Score(new ExactMatchScorerDefinition { Role = "explorer", Opponents = OpponentScoring.Same }, ctx);

        Assert.All(results, r => Assert.Equal(1.0, r.Value));
        Assert.Equal(["explorer", "critic"], results.Select(r => r.Role));
    }

    [Fact]
    public void None_scores_only_the_scored_role()
    {
        var ctx = Context(Game("explorer", "critic"), Task, ("explorer", "5"));

        Assert.Single(Score(new ExactMatchScorerDefinition { Role = "explorer" }, ctx));
    }

    [Fact]
    public void Results_carry_name_kind_and_grounded()
    {
        var r = Score(new NumericScorerDefinition { Name = "final" }, Solo("5", "5"))[0];
        var unnamed = Score(new NumericScorerDefinition(), Solo("5", "5"))[0];

        Assert.Equal(("final", "numeric", true), (r.Scorer, r.Kind, r.Grounded));
        Assert.Equal("numeric", unnamed.Scorer);
    }

    [Fact]
    public void Details_record_answer_expected_and_reason()
    {
        var r = Score(new ExactMatchScorerDefinition(), Solo("  6 ", "5"))[0];

        Assert.Equal("  6 ", (string?)r.Details["answer"]);
        Assert.Equal("5", (string?)r.Details["expected"]);
        Assert.Equal("not equal", (string?)r.Details["reason"]);
    }

    [Fact]
    public void Scoring_is_deterministic()
    {
        var ctx = Context(Game("a", "b"), Task, ("a", "Answer: 5"), ("b", "x"));
        var def = new NumericScorerDefinition { Role = "a", Extract = @"Answer: (\d+)", Opponents = OpponentScoring.Complement };

        var first = Score(def, ctx);
        var second = Score(def, ctx);

        Assert.Equal(first.Select(r => (r.Role, r.Value, r.Details.ToJsonString())), second.Select(r => (r.Role, r.Value, r.Details.ToJsonString())));
    }

    [Fact]
    public async Task Catastrophic_extract_regex_on_hostile_text_returns_quickly_with_zero()
    {
        var def = new ExactMatchScorerDefinition { Extract = @"^(a+)+$" };
        var hostile = new string('a', 40) + "!";
        var scorer = new ScorerFactory(TimeSpan.FromMilliseconds(50)).Create(def);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var r = (await scorer.ScoreAsync(Solo(hostile, "5"), CancellationToken.None))[0];
        watch.Stop();

        Assert.Equal(0.0, r.Value);
        Assert.Equal("extract regex timed out", (string?)r.Details["reason"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
