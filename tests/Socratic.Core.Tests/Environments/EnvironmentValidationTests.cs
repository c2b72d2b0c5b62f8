// Bad environment settings are errors naming their JSON path, all reported together, like the rest of a game.
using Socratic.Core.Environments;
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Environments;

public class EnvironmentValidationTests
{
    private static GameDefinition TicTacToe() => new()
    {
        Name = "ttt",
        Roles = [new RoleDefinition { Name = "x" }, new RoleDefinition { Name = "o", Policy = "opponent" }],
        Tasks = new ListTaskSource { Items = [new ListTaskItem { Prompt = "Play." }] },
        Environment = new TicTacToeDefinition(),
        Scoring = [new EnvironmentScorerDefinition()],
    };

    private static GameDefinition TwentyQuestions() => TicTacToe() with
    {
        Roles = [new RoleDefinition { Name = "guesser" }, new RoleDefinition { Name = "answerer", Instructions = "The word is {{task.answer}}." }],
        Tasks = new ListTaskSource { Items = [new ListTaskItem { Prompt = "An animal.", Answer = "cat" }] },
        Environment = new TwentyQuestionsDefinition(),
    };

    private static GameDefinition Negotiation(NegotiationDefinition n) => TicTacToe() with
    {
        Roles = [new RoleDefinition { Name = "first" }, new RoleDefinition { Name = "second" }],
        Environment = n,
    };

    private static IReadOnlyList<string> Fields(GameDefinition g) => [.. GameValidator.Validate(g).Select(e => e.Field)];

    [Fact]
    public void Valid_environment_games_have_no_errors()
    {
        Assert.Empty(GameValidator.Validate(TicTacToe()));
        Assert.Empty(GameValidator.Validate(TwentyQuestions()));
        Assert.Empty(GameValidator.Validate(Negotiation(new NegotiationDefinition())));
        Assert.Empty(GameValidator.Validate(TicTacToe() with
        {
            Roles = [new RoleDefinition { Name = "first" }, new RoleDefinition { Name = "second" }],
            Environment = new KuhnPokerDefinition(),
        }));
    }

    public static TheoryData<string, GameDefinition> Broken()
    {
        var t = TicTacToe();
        var q = TwentyQuestions();
        var items = new NegotiationItem[] { new() { Name = "book", Count = 2 } };
        return new TheoryData<string, GameDefinition>
        {
            { "$.environment.retries", t with { Environment = new TicTacToeDefinition { Retries = 4 } } },
            { "$.environment.retries", t with { Environment = new TicTacToeDefinition { Retries = -1 } } },
            { "$.environment.o", t with { Environment = new TicTacToeDefinition { O = "nobody" } } },
            { "$.environment.o", t with { Roles = [t.Roles[0]], Environment = new TicTacToeDefinition { O = "x" } } },
            { "$.roles[2].name", t with { Roles = [.. t.Roles, new RoleDefinition { Name = "judge" }] } },
            { "$.protocol.turnOrder", t with { Protocol = new ProtocolDefinition { TurnOrder = ["x", "o"] } } },
            { "$.protocol.maxTurns", t with { Protocol = new ProtocolDefinition { MaxTurns = 9 } } },
            { "$.protocol.stopWhen", t with { Protocol = new ProtocolDefinition { StopWhen = [new StopCondition { Pattern = "x" }] } } },
            { "$.protocol.visibility", t with { Protocol = new ProtocolDefinition { Visibility = new Dictionary<string, IReadOnlyList<string>> { ["x"] = [] } } } },
            { "$.scoring", t with { Scoring = [new ContainsScorerDefinition { Role = "x" }] } },
            { "$.scoring[0].role", t with { Scoring = [new EnvironmentScorerDefinition { Role = "x" }] } },
            { "$.scoring[0].extract", t with { Scoring = [new EnvironmentScorerDefinition { Extract = "MOVE: (.*)" }] } },
            { "$.scoring[0].opponents", t with { Scoring = [new EnvironmentScorerDefinition { Opponents = OpponentScoring.Complement }] } },
            { "$.scoring[0].kind", t with { Environment = null } },
            { "$.environment.maxQuestions", q with { Environment = new TwentyQuestionsDefinition { MaxQuestions = 0 } } },
            { "$.environment.maxQuestions", q with { Environment = new TwentyQuestionsDefinition { MaxQuestions = 21 } } },
            { "$.environment.answerer", q with { Environment = new TwentyQuestionsDefinition { Answerer = "oracle" } } },
            { "$.tasks.items[0].answer", q with { Tasks = new ListTaskSource { Items = [new ListTaskItem { Prompt = "An animal." }] } } },
            { "$.tasks.items[0].prompt", q with { Tasks = new ListTaskSource { Items = [new ListTaskItem { Prompt = "It is a Cat.", Answer = "cat" }] } } },
            { "$.protocol.opening", q with { Protocol = new ProtocolDefinition { Opening = "Guess {{task.answer}}" } } },
            { "$.roles[0].instructions", q with { Roles = [new RoleDefinition { Name = "guesser", Instructions = "Hint: {{task.answer}}" }, q.Roles[1]] } },
            { "$.environment.items", Negotiation(new NegotiationDefinition { Items = [] }) },
            { "$.environment.items[1].name", Negotiation(new NegotiationDefinition { Items = [.. items, new() { Name = "book", Count = 1 }] }) },
            { "$.environment.items[0].name", Negotiation(new NegotiationDefinition { Items = [new() { Name = "two words", Count = 1 }] }) },
            { "$.environment.items[0].count", Negotiation(new NegotiationDefinition { Items = [new() { Name = "book", Count = 0 }] }) },
            { "$.environment.items[0].count", Negotiation(new NegotiationDefinition { Items = [new() { Name = "book", Count = 11 }] }) },
            { "$.environment.maxValue", Negotiation(new NegotiationDefinition { MaxValue = 0 }) },
            { "$.environment.maxOffers", Negotiation(new NegotiationDefinition { MaxOffers = 21 }) },
        };
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_bad_environment_setting_is_reported_at_its_path(string field, GameDefinition game) =>
        Assert.Contains(field, Fields(game));

    [Fact]
    public void Errors_from_the_json_name_the_environment_path_and_the_message_says_what_to_do()
    {
        var json = """
            {
              "name": "ttt",
              "roles": [ { "name": "x" }, { "name": "o" } ],
              "protocol": { "maxTurns": 9 },
              "tasks": { "kind": "list", "items": [ { "prompt": "Play." } ] },
              "environment": { "kind": "tictactoe", "o": "zero", "retries": 9 },
              "scoring": [ { "kind": "environment" } ]
            }
            """;

        var e = Assert.Throws<GameDefinitionException>(() => GameValidator.Load(json));

        Assert.Equal(
            [
                "$.environment.retries: retries must be between 0 and 3",
                "$.environment.o: unknown role 'zero'; roles: x, o",
                "$.roles[1].name: role 'o' has no seat in the tictactoe environment (its seats: x, o)",
                "$.protocol.maxTurns: the tictactoe environment ends the game by its rules; leave maxTurns at 0",
            ],
            e.Errors.Select(x => $"{x.Field}: {x.Message}"));
    }

    [Theory]
    [InlineData("""{"environment": {"kind": "chess"}}""", "$.environment.kind", "unknown environment kind 'chess'; known: tictactoe, kuhn_poker, negotiation, twenty_questions")]
    [InlineData("""{"environment": {"x": "a"}}""", "$.environment.kind", "missing environment kind")]
    [InlineData("""{"environment": {"kind": "tictactoe", "size": 4}}""", "$.environment.size", "unknown field 'size'")]
    [InlineData("""{"environment": {"kind": "negotiation", "items": [{"name": "book", "count": "two"}]}}""", "$.environment.items[0].count", "")]
    public void Malformed_environment_json_names_the_path(string json, string field, string message)
    {
        var e = Assert.Throws<GameDefinitionException>(() => GameJson.Parse(json));

        var error = Assert.Single(e.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_game_round_trips_through_json()
    {
        var game = Negotiation(new NegotiationDefinition { MaxOffers = 3 });

        var again = GameJson.Parse(GameJson.Serialize(game));

        Assert.Equal(GameJson.Serialize(game), GameJson.Serialize(again));
        Assert.Equal(3, Assert.IsType<NegotiationDefinition>(again.Environment).MaxOffers);
        Assert.IsType<EnvironmentScorerDefinition>(Assert.Single(again.Scoring));
    }
}
