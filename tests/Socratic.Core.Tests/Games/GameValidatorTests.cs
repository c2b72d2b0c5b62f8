// GameValidator: every semantic rule reports the field path it is about, and all errors come back together.
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Games;

public class GameValidatorTests
{
    private static GameDefinition Valid() => new()
    {
        Name = "valid",
        Roles = [new RoleDefinition { Name = "a" }, new RoleDefinition { Name = "b" }],
        Protocol = new ProtocolDefinition { TurnOrder = ["a", "b"], MaxTurns = 2 },
        Tasks = new ArithmeticTaskSource(),
        Scoring = [new NumericScorerDefinition { Role = "a" }],
    };

    private static IReadOnlyList<string> Fields(GameDefinition g) => [.. GameValidator.Validate(g).Select(e => e.Field)];

    [Fact]
    public void A_valid_game_has_no_errors() => Assert.Empty(GameValidator.Validate(Valid()));

    public static TheoryData<string, GameDefinition> Broken()
    {
        var v = Valid();
        var list = new ListTaskSource { Items = [new ListTaskItem { Prompt = "ok" }, new ListTaskItem { Prompt = " " }] };
        return new TheoryData<string, GameDefinition>
        {
            { "$.name", v with { Name = " " } },
            { "$.weight", v with { Weight = double.PositiveInfinity } },
            { "$.weight", v with { Weight = -1 } },
            { "$.schema", v with { Schema = 2 } },
            { "$.roles", v with { Roles = [], Protocol = new ProtocolDefinition(), Scoring = [] } },
            { "$.roles[1].name", v with { Roles = [new RoleDefinition { Name = "a" }, new RoleDefinition { Name = "a" }], Protocol = new ProtocolDefinition() } },
            { "$.roles[0].name", v with { Roles = [new RoleDefinition { Name = "  " }, new RoleDefinition { Name = "a" }], Protocol = new ProtocolDefinition() } },
            { "$.roles[1].name", v with { Roles = [new RoleDefinition { Name = "a" }, new RoleDefinition { Name = "b " }], Protocol = new ProtocolDefinition() } },
            { "$.roles[0].policy", v with { Roles = [new RoleDefinition { Name = "a", Policy = "teacher" }, new RoleDefinition { Name = "b" }] } },
            { "$.roles[0].sampling.temperature", WithSampling(v, new SamplingSettings { Temperature = 6 }) },
            { "$.roles[0].sampling.topP", WithSampling(v, new SamplingSettings { TopP = 0 }) },
            { "$.roles[0].sampling.topK", WithSampling(v, new SamplingSettings { TopK = -1 }) },
            { "$.roles[0].sampling.maxTokens", WithSampling(v, new SamplingSettings { MaxTokens = 0 }) },
            { "$.roles[0].sampling.maxTokens", WithSampling(v, new SamplingSettings { MaxTokens = 5000 }) },
            { "$.protocol.turnOrder[1]", v with { Protocol = v.Protocol with { TurnOrder = ["a", "c"] } } },
            { "$.protocol.maxTurns", v with { Protocol = v.Protocol with { MaxTurns = 65 } } },
            { "$.protocol.maxTurns", v with { Protocol = v.Protocol with { MaxTurns = -1 } } },
            { "$.protocol.maxTokensPerTurn", v with { Protocol = v.Protocol with { MaxTokensPerTurn = 0 } } },
            { "$.protocol.stopWhen[0].pattern", v with { Protocol = v.Protocol with { StopWhen = [new StopCondition { Kind = StopKind.Regex, Pattern = "(" }] } } },
            { "$.protocol.stopWhen[0].role", v with { Protocol = v.Protocol with { StopWhen = [new StopCondition { Pattern = "x", Role = "z" }] } } },
            { "$.protocol.visibility.z", v with { Protocol = v.Protocol with { Visibility = new Dictionary<string, IReadOnlyList<string>> { ["z"] = ["a"] } } } },
            { "$.protocol.visibility.a[0]", v with { Protocol = v.Protocol with { Visibility = new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["z"] } } } },
            { "$.tasks", v with { Tasks = null } },
            { "$.tasks.min", v with { Tasks = new ArithmeticTaskSource { Min = 10, Max = 1 } } },
            { "$.tasks.terms", v with { Tasks = new ArithmeticTaskSource { Terms = 9 } } },
            { "$.tasks.terms", v with { Tasks = new ArithmeticTaskSource { Terms = 1 } } },
            { "$.tasks.operators[1]", v with { Tasks = new ArithmeticTaskSource { Operators = ["+", "/"] } } },
            { "$.tasks.prompt", v with { Tasks = new ArithmeticTaskSource { Prompt = "What?" } } },
            { "$.tasks.items", v with { Tasks = new ListTaskSource() } },
            { "$.tasks.items[1].prompt", v with { Tasks = list } },
            { "$.scoring[0].role", v with { Scoring = [new ExactMatchScorerDefinition { Role = "nobody" }] } },
            { "$.scoring[0].extract", v with { Scoring = [new ExactMatchScorerDefinition { Extract = "[a-" }] } },
            { "$.scoring[0].pattern", v with { Scoring = [new RegexScorerDefinition { Pattern = "(unclosed" }] } },
            { "$.scoring[0].pattern", v with { Scoring = [new RegexScorerDefinition { Pattern = "" }] } },
            { "$.scoring[0].tolerance", v with { Scoring = [new NumericScorerDefinition { Tolerance = -1 }] } },
            { "$.scoring[0].path", v with { Scoring = [new JsonFieldScorerDefinition { Path = "a..b" }] } },
            { "$.scoring[1].name", v with { Scoring = [new ExactMatchScorerDefinition(), new ExactMatchScorerDefinition()] } },
        };
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_rule_reports_its_field(string field, GameDefinition game) => Assert.Equal([field], Fields(game));

    [Fact]
    public void All_errors_are_reported_together()
    {
        var game = Valid() with { Name = "", Tasks = null, Protocol = new ProtocolDefinition { MaxTurns = 100 } };

        Assert.Equal(["$.name", "$.protocol.maxTurns", "$.tasks"], Fields(game));
    }

    [Fact]
    public void Placeholders_in_regex_scorer_patterns_are_allowed()
    {
        var game = Valid() with { Scoring = [new RegexScorerDefinition { Pattern = @"\b{{task.answer}}\b" }] };

        Assert.Empty(GameValidator.Validate(game));
    }

    [Fact]
    public void Load_throws_with_every_semantic_error()
    {
        const string json = """{"name": "", "roles": [{"name": "a"}], "protocol": {"turnOrder": ["b"]}}""";

        var e = Assert.Throws<GameDefinitionException>(() => GameValidator.Load(json));

        Assert.Equal(["$.name", "$.protocol.turnOrder[0]", "$.tasks"], e.Errors.Select(x => x.Field));
        Assert.Contains("unknown role 'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_returns_a_valid_game() =>
        Assert.Equal("g", GameValidator.Load("""{"name": "g", "roles": [{"name": "a"}], "tasks": {"kind": "arithmetic"}}""").Name);

    private static GameDefinition WithSampling(GameDefinition g, SamplingSettings s) =>
        g with { Roles = [new RoleDefinition { Name = "a", Sampling = s }, new RoleDefinition { Name = "b" }] };
}
