// Where a game's tasks come from. Polymorphic on "kind" so later issues add sources (proposer roles,
// word problems, code synthesis) without touching existing games.
using System.Text.Json.Serialization;

namespace Socratic.Core.Tasks;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ArithmeticTaskSource), "arithmetic")]
[JsonDerivedType(typeof(ListTaskSource), "list")]
[JsonDerivedType(typeof(WordProblemTaskSource), "word_problem")]
[JsonDerivedType(typeof(StringTransformTaskSource), "string_transform")]
[JsonDerivedType(typeof(PythonFunctionTaskSource), "python_functions")]
public abstract record TaskSourceDefinition;

/// <summary>Procedural arithmetic: Terms operands drawn from [Min, Max], joined by operators; answer is exact.</summary>
public sealed record ArithmeticTaskSource : TaskSourceDefinition
{
    public int Min { get; init; }

    public int Max { get; init; } = 9;

    /// <summary>Number of operands (2 = "a + b").</summary>
    public int Terms { get; init; } = 2;

    /// <summary>Allowed operators, drawn uniformly: any of "+", "-", "*".</summary>
    public IReadOnlyList<string> Operators { get; init; } = ["+"];

    /// <summary>Prompt text; {{expression}} is replaced by e.g. "3 + 4".</summary>
    public string Prompt { get; init; } = "What is {{expression}}?";

    /// <summary>
    /// Redraw tasks that belong to the held-out evaluation partition. Off by default only because stored runs
    /// were drawn without it and must redraw the same tasks when they resume; new games should turn it on.
    /// </summary>
    public bool ExcludeHeldOut { get; init; }
}

/// <summary>Multi-step word problems about one person's stock of items; the answer is the exact final count.</summary>
public sealed record WordProblemTaskSource : TaskSourceDefinition
{
    /// <summary>Operations after the opening quantity (add, take away, double/triple, split into equal piles).</summary>
    public int Steps { get; init; } = 3;

    /// <summary>Largest opening quantity and largest amount added or removed in one step.</summary>
    public int MaxQuantity { get; init; } = 20;

    /// <summary>Prompt text; {{problem}} is replaced by the story and its question.</summary>
    public string Prompt { get; init; } = "{{problem}}";
}

/// <summary>String transformations with exact answers: a random lowercase string and one or more operations.</summary>
public sealed record StringTransformTaskSource : TaskSourceDefinition
{
    /// <summary>Operations drawn from: reverse, uppercase, sort_letters, remove_vowels, rotate_left, double_letters.</summary>
    public IReadOnlyList<string> Operations { get; init; } = ["reverse", "uppercase", "sort_letters"];

    /// <summary>Operations applied in sequence to one string (1 = a single transformation).</summary>
    public int Steps { get; init; } = 1;

    public int MinLength { get; init; } = 4;

    public int MaxLength { get; init; } = 8;

    /// <summary>Prompt text; {{instruction}} describes the string and the operations, {{input}} is the string.</summary>
    public string Prompt { get; init; } = "{{instruction}} Reply with the result only.";
}

/// <summary>A fixed list of tasks, inline or uploaded (JSONL or CSV) and stored with the game version.</summary>
public sealed record ListTaskSource : TaskSourceDefinition
{
    public IReadOnlyList<ListTaskItem> Items { get; init; } = [];

    /// <summary>Draw tasks in a seeded random order instead of cycling in list order.</summary>
    public bool Shuffle { get; init; } = true;
}

public sealed record ListTaskItem
{
    public string? Id { get; init; }

    public string Prompt { get; init; } = "";

    public string? Answer { get; init; }

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

/// <summary>Procedural Python function synthesis: a family (sum_multiples, fizz_word, …) with random parameters,
/// a prompt describing the function, and hidden tests (fields "tests", "entry_point") for the python_tests
/// scorer. The answer is a reference solution, never shown to roles unless an instruction asks for it.</summary>
public sealed record PythonFunctionTaskSource : TaskSourceDefinition
{
    /// <summary>Families to draw from, uniformly; empty = all of them.</summary>
    public IReadOnlyList<string> Families { get; init; } = [];

    /// <summary>Hidden tests per task.</summary>
    public int Tests { get; init; } = 6;

    /// <summary>Prompt text; {{spec}} is replaced by the function's description and one example.</summary>
    public string Prompt { get; init; } = "Write a Python function.\n\n{{spec}}\n\nAnswer with the complete function in a ```python code block.";
}
