// GameJson: the file format reads leniently where harmless (comments, trailing commas, "kind" anywhere) and
// strictly where a mistake would be silent (unknown fields and kinds, wrong types, nulls).
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Games;

public class GameJsonTests
{
    private static GameDefinitionException Fails(string json) => Assert.Throws<GameDefinitionException>(() => GameJson.Parse(json));

    private static GameDefinition Sample() => new()
    {
        Name = "sample",
        Description = "d",
        Tags = ["t"],
        Weight = 0.5,
        Roles = [new RoleDefinition { Name = "a", Instructions = "hi", Policy = "opponent" }, new RoleDefinition { Name = "b" }],
        Protocol = new ProtocolDefinition
        {
            TurnOrder = ["a", "b"],
            MaxTurns = 4,
            StopWhen = [new StopCondition { Kind = StopKind.Regex, Pattern = "DONE", Role = "b" }],
            Visibility = new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["b"] },
        },
        Tasks = new ArithmeticTaskSource { Min = 1, Max = 5, Terms = 3, Operators = ["+", "*"] },
        Scoring =
        [
            new NumericScorerDefinition { Role = "a", Extract = @"(\d+)", Opponents = OpponentScoring.Complement, Tolerance = 0.5 },
            new JsonFieldScorerDefinition { Name = "j", Path = "x.y" },
        ],
    };

    [Fact]
    public void Round_trip_preserves_the_definition()
    {
        var original = Sample();

        var back = GameJson.Parse(GameJson.Serialize(original));

        Assert.Equal(GameJson.Serialize(original), GameJson.Serialize(back));
        Assert.Equal(OpponentScoring.Complement, back.Scoring[0].Opponents);
        Assert.IsType<JsonFieldScorerDefinition>(back.Scoring[1]);
        Assert.Equal(["b"], back.Protocol.Visibility["a"]);
        Assert.Equal(3, Assert.IsType<ArithmeticTaskSource>(back.Tasks).Terms);
    }

    [Fact]
    public void Serialize_writes_camel_case_and_kind_discriminators()
    {
        var json = GameJson.Serialize(Sample());

        Assert.Contains("\"maxTurns\": 4", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"numeric\"", json, StringComparison.Ordinal);
        Assert.Contains("\"opponents\": \"complement\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"regex\"", json, StringComparison.Ordinal);
        Assert.Contains("\"+\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("effectiveTurnOrder", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Kind_may_come_after_other_fields_and_comments_and_trailing_commas_are_fine()
    {
        const string json = """
            {
              // a comment
              "name": "g",
              "tasks": { "max": 3, "kind": "arithmetic", },
              "scoring": [ { "role": "a", "kind": "exact", "opponents": "same" } ],
            }
            """;

        var game = GameJson.Parse(json);

        Assert.Equal(3, Assert.IsType<ArithmeticTaskSource>(game.Tasks).Max);
        Assert.Equal(OpponentScoring.Same, game.Scoring[0].Opponents);
    }

    [Fact]
    public void Malformed_json_names_the_position()
    {
        var e = Fails("{\"name\": \"x\" \"roles\": []}");

        Assert.Equal("$", e.Errors[0].Field);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_scorer_kind_lists_the_known_kinds()
    {
        var e = Fails("""{"name": "x", "scoring": [{"kind": "exact"}, {"kind": "foo"}]}""");

        Assert.StartsWith("$.scoring[1].kind: unknown scorer kind 'foo'; known: exact, numeric, regex, contains, json_field, python_tests", e.Message, StringComparison.Ordinal);
        Assert.Equal("$.scoring[1].kind", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public void Unknown_task_kind_and_missing_kind_are_reported()
    {
        Assert.Equal("$.tasks.kind", Fails("""{"tasks": {"kind": "dice"}}""").Errors[0].Field);
        Assert.Contains("missing scorer kind", Fails("""{"scoring": [{"role": "a"}]}""").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "x", "nmae": "y"}""", "$.nmae", "unknown field 'nmae'")]
    [InlineData("""{"roles": [{"name": "a", "polcy": "self"}]}""", "$.roles[0].polcy", "unknown field 'polcy'")]
    [InlineData("""{"scoring": [{"kind": "numeric", "tolerence": 1}]}""", "$.scoring[0].tolerence", "unknown field")]
    [InlineData("""{"protocol": {"maxTurns": "four"}}""", "$.protocol.maxTurns", "expected an integer")]
    [InlineData("""{"weight": "heavy"}""", "$.weight", "expected a number")]
    [InlineData("""{"roles": {}}""", "$.roles", "expected a list")]
    [InlineData("""{"name": null}""", "$.name", "must not be null")]
    [InlineData("""{"roles": [null]}""", "$.roles[0]", "null is not allowed")]
    [InlineData("""{"scoring": [{"kind": "exact", "opponents": "rivals"}]}""", "$.scoring[0].opponents", "one of: none, complement, same")]
    [InlineData("""{"roles": [{"sampling": {"seed": -1}}]}""", "$.roles[0].sampling.seed", "expected an integer")]
    [InlineData("""{"name": "a", "name": "b"}""", "$.name", "duplicate field 'name'")]
    [InlineData("""{"scoring": [{"kind": "exact", "tolerance": 1}]}""", "$.scoring[0].tolerance", "not a field of the 'exact' scorer")]
    [InlineData("""{"roles": [{"nmae": "a"}]}""", "$.roles[0].nmae", "not a field of role")]
    public void Shape_errors_carry_the_json_path(string json, string field, string message)
    {
        var e = Fails(json);

        var error = Assert.Single(e.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(field + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_array_is_not_a_game() => Assert.Equal("$", Fails("[]").Errors[0].Field);
}
