// Named recipes for `socratic campaign`: what the starting model is pre-trained on (easy tasks), what self-play
// plays generation by generation (a curriculum of harder sums than pre-training ever showed), what is evaluated
// held-out, and how big each generation is. "micro" is the committed experiment in docs/experiments/micro (sized
// for a shared 2-core machine); "test" is sized for a unit test.
using Socratic.Cli.Training;
using Socratic.Core.Games;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Training;
using Socratic.Training;

namespace Socratic.Cli.Campaign;

/// <param name="Pretrain">Shape and optimiser of the model made from nothing (when no --model is given).</param>
/// <param name="PretrainDialogues">Generated solved dialogues on the pre-training tasks (one pass).</param>
/// <param name="Pretraining">Pre-training task sources (the easy tasks), drawn in turn.</param>
/// <param name="Working">How pre-training dialogues write the working (the model imitates it).</param>
/// <param name="Easy">Held-out easy suite (tasks of the pre-training kind: watches forgetting).</param>
/// <param name="Curriculum">Self-play tasks of generation g: entry g − 1, the last one repeating.</param>
/// <param name="Hard">Held-out evaluation tasks harder than anything in pre-training.</param>
/// <param name="MaxTokens">Tokens a solver turn may take.</param>
/// <param name="Context">Context length of the runtime and of training sequences.</param>
/// <param name="TasksPerGeneration">Distinct self-play tasks per generation.</param>
/// <param name="SamplesPerTask">Attempts sampled per task (K).</param>
/// <param name="EvalCount">Held-out tasks per evaluation suite (greedy).</param>
/// <param name="TopKPerTask">Correct attempts kept per task after curation.</param>
/// <param name="Autopilot">Meta-critic proposal kinds applied without an admin; the rest are recorded as proposals.</param>
public sealed record CampaignPreset(
    string Name,
    PretrainPreset Pretrain,
    int PretrainDialogues,
    IReadOnlyList<ArithmeticTaskSource> Pretraining,
    ArithmeticTaskSource Easy,
    IReadOnlyList<ArithmeticTaskSource> Curriculum,
    ArithmeticTaskSource Hard,
    WorkingStyle Working,
    int MaxTokens,
    int Context,
    int Generations,
    int TasksPerGeneration,
    int SamplesPerTask,
    int EvalCount,
    float Temperature,
    int TopKPerTask,
    int Epochs,
    int Batch,
    float LearningRate,
    int LoraRank,
    IReadOnlyList<DecisionKind> Autopilot)
{
    public const string SolverRole = "solver";

    public const string Instructions =
        "You solve arithmetic problems. Work it out one step per line, then finish with a final line \"Answer: <number>\".";

    private const string AnswerPattern = @"(?is).*\banswer\s*[:=]\s*([-−+]?\d[\d,]*(?:\.\d+)?)";

    /// <summary>Pre-training on sums of two to five operands (two and three in 0–9, four in 0–5, five in 0–3) with
    /// carry-rest working; self-play and held-out evaluation on four-operand sums in 0–9 — larger operands in that
    /// position and running sums up to 36, where pre-training's largest is 27 — and on held-out three-operand sums of
    /// the pre-training kind (forgetting).</summary>
    public static CampaignPreset Micro { get; } = new(
        "micro",
        new PretrainPreset(new ModelShape(Dim: 64, Layers: 2, Heads: 4, KvHeads: 2, FfnDim: 256, ContextLength: 512), Dialogues: 24000, Batch: 8,
            LearningRate: 5e-3f, WarmupSteps: 20),
        PretrainDialogues: 24000,
        Pretraining: [Sums(2, 0, 9), Sums(3, 0, 9), Sums(4, 0, 5), Sums(5, 0, 3)],
        Easy: Sums(3, 0, 9),
        Curriculum: [Sums(4, 0, 9)],
        Hard: Sums(4, 0, 9),
        Working: WorkingStyle.CarryRest,
        MaxTokens: 256,
        Context: 512,
        Generations: 3,
        TasksPerGeneration: 1024,
        SamplesPerTask: 8,
        EvalCount: 200,
        Temperature: 0.7f,
        TopKPerTask: 2,
        Epochs: 3,
        Batch: 8,
        LearningRate: 1e-3f,
        LoraRank: 8,
        // Sums have little room for lexical diversity (self-BLEU stays high whatever the model does), so the coverage
        // alarm fires every generation; raising the temperature then only lowers the share of correct attempts.
        Autopilot: [DecisionKind.Promote, DecisionKind.Rollback]);

    /// <summary>Seconds: a 2-layer model, a few tasks; proves the loop and its outputs in tests.</summary>
    public static CampaignPreset Test { get; } = Micro with
    {
        Name = "test",
        Pretrain = PretrainPreset.Test,
        PretrainDialogues = 24,
        MaxTokens = 64,
        Context = 256,
        Generations = 1,
        TasksPerGeneration = 4,
        SamplesPerTask = 2,
        EvalCount = 8,
        Epochs = 1,
        Batch = 4,
    };

    /// <summary>Sums of <paramref name="terms"/> operands in [min, max], held-out tasks excluded.</summary>
    public static ArithmeticTaskSource Sums(int terms, int min, int max) =>
        new() { Min = min, Max = max, Terms = terms, Operators = ["+"], ExcludeHeldOut = true };

    /// <summary>The self-play tasks of generation <paramref name="generation"/> (1-based).</summary>
    public ArithmeticTaskSource SelfPlayTasks(int generation) => Curriculum[Math.Clamp(generation - 1, 0, Curriculum.Count - 1)];

    public static CampaignPreset? Named(string name) => name switch
    {
        "micro" => Micro,
        "test" => Test,
        _ => null,
    };

    /// <summary>The one-role game every stage plays: pre-training dialogues, self-play (sampled at
    /// <paramref name="temperature"/>) and evaluation (greedy), so the model always sees the same prompt.</summary>
    public GameDefinition Game(string name, ArithmeticTaskSource tasks, float temperature) => new()
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
                    ? new SamplingSettings { Temperature = 0, TopK = 1, MaxTokens = MaxTokens }
                    : new SamplingSettings { Temperature = temperature, TopP = 0.95f, TopK = 40, MaxTokens = MaxTokens },
            },
        ],
        Protocol = new ProtocolDefinition { TurnOrder = [SolverRole], MaxTurns = 1, MaxTokensPerTurn = MaxTokens, Opening = "{{task.prompt}}" },
        Tasks = tasks,
        Scoring = [new NumericScorerDefinition { Name = "answer", Role = SolverRole, Extract = AnswerPattern, Tolerance = 0 }],
    };

    public static string Describe(ArithmeticTaskSource t) =>
        $"{t.Terms} operands in {t.Min}–{t.Max}, operators {string.Join(" ", t.Operators)}";

    public static string Describe(IEnumerable<ArithmeticTaskSource> sources) => string.Join("; ", sources.Select(Describe));

    /// <summary>The curriculum as the report shows it: "g1: …; g2: …; g3+: …".</summary>
    public string DescribeCurriculum() => string.Join("; ", Curriculum.Take(Generations).Select((t, i) =>
        $"g{i + 1}{(i == Curriculum.Count - 1 && Generations > Curriculum.Count ? "+" : "")}: {Describe(t)}"));
}
