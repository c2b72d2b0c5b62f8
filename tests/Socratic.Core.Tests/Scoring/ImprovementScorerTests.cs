// Grounded improvement: the check scores the first and last answers on their own, value = last − first.
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Scoring;

public sealed class ImprovementScorerTests
{
    private static readonly ImprovementScorerDefinition Improvement = new()
    {
        Role = "solver",
        Opponents = OpponentScoring.Same,
        Check = new NumericScorerDefinition { Extract = @"(?is).*\banswer\s*:\s*(-?\d+)", Tolerance = 0 },
    };

    private static IReadOnlyList<ScoreResult> Refine(params string[] solverTurns)
    {
        var turns = new List<(string, string)>();
        foreach (var t in solverTurns)
        {
            turns.Add(("solver", t));
            turns.Add(("critic", "Check step two. Answer: 99"));
        }

        var context = ScoringKit.Context(ScoringKit.Game("solver", "critic"), new GameTask("t", "q", "12"), [.. turns.Take((solverTurns.Length * 2) - 1)]);
        return ScoringKit.Score(Improvement, context);
    }

    [Theory]
    [InlineData("Answer: 10", "Answer: 12", 1.0, "revision improved")]
    [InlineData("Answer: 12", "Answer: 10", -1.0, "revision got worse")]
    [InlineData("Answer: 12", "Still Answer: 12", 0.0, "no change")]
    [InlineData("Answer: 10", "Answer: 11", 0.0, "no change")]
    public void Value_is_the_last_answers_check_minus_the_firsts(string first, string last, double value, string reason)
    {
        var results = Refine(first, last);

        var solver = results.Single(r => r.Role == "solver");
        Assert.Equal(value, solver.Value);
        Assert.True(solver.Grounded);
        Assert.Equal(reason, (string)solver.Details["reason"]!);
        Assert.Equal(value, results.Single(r => r.Role == "critic").Value); // opponents: same
    }

    [Fact]
    public void The_critics_numbers_are_not_read_as_the_solvers_answer()
    {
        // The critic writes "Answer: 99" between the solver's turns; only the solver's own turns are checked.
        var solver = Refine("Answer: 12", "Answer: 12").Single(r => r.Role == "solver");

        Assert.Equal("12", (string)solver.Details["after"]!["answerNumber"]!);
    }

    [Fact]
    public void Skipping_the_revision_scores_zero_with_a_reason()
    {
        var solver = Refine("Answer: 12").Single(r => r.Role == "solver");

        Assert.Equal(0.0, solver.Value);
        Assert.Contains("has 1 turn(s)", (string)solver.Details["reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_judge_cannot_be_the_check()
    {
        const string Game = """
            { "name": "g", "roles": [ { "name": "solver" } ],
              "tasks": { "kind": "list", "items": [ { "prompt": "q" } ] },
              "scoring": [ { "kind": "improvement", "role": "solver", "check": { "kind": "judge" }, "opponents": "complement" } ] }
            """;

        var e = Assert.Throws<GameDefinitionException>(() => GameValidator.Load(Game));

        Assert.Contains(e.Errors, x => x.Field == "$.scoring[0].check.kind");
        Assert.Contains(e.Errors, x => x.Field == "$.scoring[0].opponents");
    }
}
