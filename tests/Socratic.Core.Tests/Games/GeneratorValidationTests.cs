// The word-problem and string-transform task sources are validated like every other part of a game: each bad
// setting is reported with its JSON path, all at once.
using Socratic.Core.Games;

namespace Socratic.Core.Tests.Games;

public sealed class GeneratorValidationTests
{
    private static IReadOnlyList<GameValidationError> Errors(string tasks)
    {
        var json = $$"""
            { "name": "g", "roles": [ { "name": "solver" } ], "tasks": {{tasks}}, "scoring": [ { "kind": "exact" } ] }
            """;
        return Assert.Throws<GameDefinitionException>(() => GameValidator.Load(json)).Errors;
    }

    [Fact]
    public void Word_problem_settings_out_of_range_are_reported_with_paths()
    {
        var errors = Errors("""{ "kind": "word_problem", "steps": 9, "maxQuantity": 1, "prompt": "Solve it." }""");

        Assert.Equal(["$.tasks.maxQuantity", "$.tasks.prompt", "$.tasks.steps"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void String_transform_settings_out_of_range_are_reported_with_paths()
    {
        var errors = Errors("""{ "kind": "string_transform", "operations": ["reverse", "shout"], "steps": 0, "minLength": 5, "maxLength": 41 }""");

        Assert.Contains(errors, e => e.Field == "$.tasks.operations[1]" && e.Message.Contains("shout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "$.tasks.steps");
        Assert.Contains(errors, e => e.Field == "$.tasks.maxLength");
    }

    [Fact]
    public void An_unknown_field_in_a_generator_is_an_error_not_ignored()
    {
        var e = Assert.Throws<GameDefinitionException>(() => GameJson.Parse("""{ "name": "g", "tasks": { "kind": "word_problem", "stepz": 3 } }"""));

        Assert.Contains(e.Errors, x => x.Field.Contains("stepz", StringComparison.Ordinal));
    }
}
