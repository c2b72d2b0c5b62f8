// The held-out evaluation suites: the observer's metric. Each is a one-role game on a task generator, played
// greedily, with a grounded scorer. Tasks come only from the held-out partition (HeldOutPartition), which no
// game can draw, and the settings are harder than the bundled games' (more terms, more steps, longer strings),
// so a suite measures transfer rather than recall. Suites are code, not data: editing one changes what every
// stored EvaluationResult of that name meant, so a change of content gets a new name (e.g. a "-v2" suffix).
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Evaluation;

/// <param name="Name">What `socratic eval --suite` takes and EvaluationResult.Suite stores.</param>
/// <param name="Game">The one-role game played on each task.</param>
public sealed record EvaluationSuite(string Name, string Description, GameDefinition Game)
{
    /// <summary>The role that answers and whose grounded score decides correctness.</summary>
    public const string Role = "solver";

    /// <summary>The suite's task source, drawing only held-out tasks.</summary>
    public ITaskSource CreateTaskSource() => Game.Tasks switch
    {
        ArithmeticTaskSource a => new ArithmeticTaskGenerator(a, TaskPartition.HeldOut),
        WordProblemTaskSource w => new WordProblemGenerator(w, TaskPartition.HeldOut),
        StringTransformTaskSource s => new StringTransformGenerator(s, TaskPartition.HeldOut),
        _ => throw new InvalidOperationException($"Suite '{Name}' has a task source without a held-out partition."),
    };
}

public static class EvaluationSuites
{
    private const string NumberAnswer = @"(?is).*\banswer\s*[:=]\s*([-−+]?\d[\d,]*(?:\.\d+)?)";

    public static IReadOnlyList<EvaluationSuite> All { get; } =
    [
        Suite(
            "arithmetic-heldout",
            "Integer arithmetic with five operands in 0–50 and + - * (precedence applies); exact answer.",
            "You solve arithmetic problems. Multiplication comes before addition and subtraction. Finish with a final line \"Answer: <number>\".",
            new ArithmeticTaskSource { Min = 0, Max = 50, Terms = 5, Operators = ["+", "-", "*"] },
            new NumericScorerDefinition { Name = "answer", Role = EvaluationSuite.Role, Extract = NumberAnswer, Tolerance = 0 }),
        Suite(
            "word-problems-heldout",
            "Five-step word problems about a changing count of items; exact integer answer.",
            "You solve word problems. Track the count step by step, then finish with a final line \"Answer: <number>\".",
            new WordProblemTaskSource { Steps = 5, MaxQuantity = 30 },
            new NumericScorerDefinition { Name = "answer", Role = EvaluationSuite.Role, Extract = NumberAnswer, Tolerance = 0 }),
        Suite(
            "string-transforms-heldout",
            "Two chained string transformations on 6–10 letters; exact, case-sensitive answer.",
            "You transform strings exactly as asked. Finish with a final line \"Answer: <result>\".",
            new StringTransformTaskSource
            {
                Operations = [.. StringTransformGenerator.Operations.Keys], Steps = 2, MinLength = 6, MaxLength = 10,
                Prompt = "{{instruction}}",
            },
            new ExactMatchScorerDefinition { Name = "answer", Role = EvaluationSuite.Role, Extract = @"(?is).*\banswer\s*[:=]\s*""?([A-Za-z]+)", CaseSensitive = true }),
    ];

    public static EvaluationSuite? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private static EvaluationSuite Suite(string name, string description, string instructions, TaskSourceDefinition tasks, ScorerDefinition scorer) =>
        new(name, description, new GameDefinition
        {
            Name = $"eval/{name}",
            Description = description,
            Roles = [new RoleDefinition { Name = EvaluationSuite.Role, Instructions = instructions, Sampling = new SamplingSettings { Temperature = 0, TopK = 1, MaxTokens = 160 } }],
            Protocol = new ProtocolDefinition { TurnOrder = [EvaluationSuite.Role], MaxTurns = 1, MaxTokensPerTurn = 160 },
            Tasks = tasks,
            Scoring = [scorer],
        });
}
