// Validation of the code-game parts (python_functions tasks, python_tests and code_learnability scorers): each mistake is reported
// at its JSON path, and the shipped code-synthesis game is valid.
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Games;

public class CodeGameValidationTests
{
    private static GameDefinition Valid() => new()
    {
        Name = "code",
        Roles = [new RoleDefinition { Name = "coder" }],
        Tasks = new PythonFunctionTaskSource(),
        Scoring = [new PythonTestsScorerDefinition { Role = "coder" }],
    };

    public static TheoryData<string, GameDefinition> Broken()
    {
        var v = Valid();
        return new TheoryData<string, GameDefinition>
        {
            { "$.tasks.tests", v with { Tasks = new PythonFunctionTaskSource { Tests = 0 } } },
            { "$.tasks.families[1]", v with { Tasks = new PythonFunctionTaskSource { Families = ["clip", "sort_hat"] } } },
            { "$.tasks.prompt", v with { Tasks = new PythonFunctionTaskSource { Prompt = "Write code." } } },
            { "$.scoring[0].tests", v with { Scoring = [new PythonTestsScorerDefinition { Tests = " " }] } },
            { "$.scoring[0].entryPoint", v with { Scoring = [new PythonTestsScorerDefinition { EntryPoint = "" }] } },
            { "$.scoring[0].timeoutSecondsPerTest", v with { Scoring = [new PythonTestsScorerDefinition { TimeoutSecondsPerTest = 0 }] } },
            { "$.scoring[0].role", v with { Scoring = [new CodeLearnabilityScorerDefinition { ProposerRoles = ["coder"], SolverRoles = ["coder"] }] } },
            { "$.scoring[0].solverRoles[0]", v with { Scoring = [new CodeLearnabilityScorerDefinition { Role = "coder", ProposerRoles = ["coder"], SolverRoles = ["ghost"] }] } },
            { "$.scoring[0].proposerRoles", v with { Scoring = [new CodeLearnabilityScorerDefinition { Role = "coder", SolverRoles = ["coder"] }] } },
            { "$.scoring[0].maxTests", v with { Scoring = [new CodeLearnabilityScorerDefinition { Role = "coder", ProposerRoles = ["coder"], SolverRoles = ["coder"], MinTests = 5, MaxTests = 4 }] } },
        };
    }

    [Fact]
    public void A_valid_code_game_has_no_errors() => Assert.Empty(GameValidator.Validate(Valid()));

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_code_game_names_the_field(string field, GameDefinition game) =>
        Assert.Equal([field], GameValidator.Validate(game).Select(e => e.Field));

    [Fact]
    public void The_json_kinds_parse_to_the_code_parts()
    {
        var game = GameValidator.Load("""
            {"name": "x", "roles": [{"name": "coder"}],
             "tasks": {"kind": "python_functions", "families": ["clip"], "tests": 3},
             "scoring": [{"kind": "python_tests", "role": "coder"}]}
            """);

        Assert.Equal(["clip"], Assert.IsType<PythonFunctionTaskSource>(game.Tasks).Families);
        Assert.Equal("{{task.tests}}", Assert.IsType<PythonTestsScorerDefinition>(Assert.Single(game.Scoring)).Tests);
    }
}
