// Named recipes for `socratic campaign`: what the starting model is pre-trained on (easy tasks), what self-play
// and evaluation use (harder tasks: more operands than pre-training ever showed), and how big each generation is.
// "micro" is the committed experiment in docs/experiments/micro (sized for a shared 2-core machine); "test" is
// sized for a unit test.
using Socratic.Cli.Training;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Training;

namespace Socratic.Cli.Campaign;

/// <param name="Pretrain">Shape and optimiser of the model made from nothing (when no --model is given).</param>
/// <param name="PretrainDialogues">Generated solved dialogues on the easy tasks (one pass).</param>
/// <param name="Easy">Pre-training tasks (also evaluated, to watch forgetting).</param>
/// <param name="SelfPlay">Self-play tasks: a wider range than pre-training (it reaches into the hard tasks).</param>
/// <param name="Hard">Held-out evaluation tasks harder than anything in pre-training.</param>
/// <param name="TasksPerGeneration">Distinct self-play tasks per generation.</param>
/// <param name="SamplesPerTask">Attempts sampled per task (K).</param>
/// <param name="EvalCount">Held-out tasks per evaluation suite (greedy).</param>
/// <param name="TopKPerTask">Correct attempts kept per task after curation.</param>
public sealed record CampaignPreset(
    string Name,
    PretrainPreset Pretrain,
    int PretrainDialogues,
    ArithmeticTaskSource Easy,
    ArithmeticTaskSource SelfPlay,
    ArithmeticTaskSource Hard,
    int Generations,
    int TasksPerGeneration,
    int SamplesPerTask,
    int EvalCount,
    float Temperature,
    int TopKPerTask,
    int Epochs,
    int Batch,
    float LearningRate,
    int LoraRank)
{
    public const string SolverRole = "solver";

    public const string Instructions =
        "You solve arithmetic problems. Work it out one step per line, then finish with a final line \"Answer: <number>\".";

    private const string AnswerPattern = @"(?is).*\banswer\s*[:=]\s*([-−+]?\d[\d,]*(?:\.\d+)?)";

    /// <summary>Pre-training on sums of two operands in 0–20; self-play on operands in 0–40; evaluation on sums whose
    /// operands are both in 21–40 (never an operand, nor a sum, seen in pre-training) and on held-out easy sums.</summary>
    public static CampaignPreset Micro { get; } = new(
        "micro",
        new PretrainPreset(new ModelShape(Dim: 64, Layers: 2, Heads: 4, KvHeads: 2, FfnDim: 256, ContextLength: 256), Dialogues: 8000, Batch: 8,
            LearningRate: 5e-3f, WarmupSteps: 20),
        PretrainDialogues: 8000,
        Easy: new ArithmeticTaskSource { Min = 0, Max = 20, Terms = 2, Operators = ["+"], ExcludeHeldOut = true },
        SelfPlay: new ArithmeticTaskSource { Min = 0, Max = 40, Terms = 2, Operators = ["+"], ExcludeHeldOut = true },
        Hard: new ArithmeticTaskSource { Min = 21, Max = 40, Terms = 2, Operators = ["+"], ExcludeHeldOut = true },
        Generations: 3,
        TasksPerGeneration: 96,
        SamplesPerTask: 8,
        EvalCount: 200,
        Temperature: 0.7f,
        TopKPerTask: 2,
        Epochs: 2,
        Batch: 8,
        LearningRate: 1e-3f,
        LoraRank: 8);

    /// <summary>Seconds: a 2-layer model, a few tasks; proves the loop and its outputs in tests.</summary>
    public static CampaignPreset Test { get; } = Micro with
    {
        Name = "test",
        Pretrain = PretrainPreset.Test,
        PretrainDialogues = 24,
        Generations = 1,
        TasksPerGeneration = 4,
        SamplesPerTask = 2,
        EvalCount = 8,
        Epochs = 1,
        Batch = 4,
    };

    public static CampaignPreset? Named(string name) => name switch
    {
        "micro" => Micro,
        "test" => Test,
        _ => null,
    };

    /// <summary>The one-role game every stage plays: pre-training dialogues, self-play (sampled at
    /// <paramref name="temperature"/>) and evaluation (greedy), so the model always sees the same prompt.</summary>
    public static GameDefinition Game(string name, ArithmeticTaskSource tasks, float temperature) => new()
    {
        Name = name,
        Description = $"Sums of {tasks.Terms} operands in {tasks.Min}–{tasks.Max}; grounded numeric check of the final answer.",
        Roles =
        [
            new RoleDefinition
            {
                Name = SolverRole,
                Instructions = Instructions,
                Sampling = temperature <= 0
                    ? new SamplingSettings { Temperature = 0, TopK = 1, MaxTokens = 64 }
                    : new SamplingSettings { Temperature = temperature, TopP = 0.95f, TopK = 40, MaxTokens = 64 },
            },
        ],
        Protocol = new ProtocolDefinition { TurnOrder = [SolverRole], MaxTurns = 1, MaxTokensPerTurn = 64, Opening = "{{task.prompt}}" },
        Tasks = tasks,
        Scoring = [new NumericScorerDefinition { Name = "answer", Role = SolverRole, Extract = AnswerPattern, Tolerance = 0 }],
    };

    public static string Describe(ArithmeticTaskSource t) =>
        $"{t.Terms} operands in {t.Min}–{t.Max}, operators {string.Join(" ", t.Operators)}";
}
