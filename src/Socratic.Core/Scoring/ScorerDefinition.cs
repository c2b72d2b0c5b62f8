// How an episode is scored. Each scorer reads one role's final turn (optionally extracting the answer with a
// regex) and gives that role a value; OpponentScore decides what the other roles get (zero-sum games).
// Polymorphic on "kind". "judge" is AI feedback (never grounded); "improvement" compares two turns' grounded checks.
using System.Text.Json.Serialization;

namespace Socratic.Core.Scoring;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ExactMatchScorerDefinition), "exact")]
[JsonDerivedType(typeof(NumericScorerDefinition), "numeric")]
[JsonDerivedType(typeof(RegexScorerDefinition), "regex")]
[JsonDerivedType(typeof(ContainsScorerDefinition), "contains")]
[JsonDerivedType(typeof(JsonFieldScorerDefinition), "json_field")]
[JsonDerivedType(typeof(JudgeScorerDefinition), "judge")]
[JsonDerivedType(typeof(ImprovementScorerDefinition), "improvement")]
[JsonDerivedType(typeof(EnvironmentScorerDefinition), "environment")]
[JsonDerivedType(typeof(PythonTestsScorerDefinition), "python_tests")]
[JsonDerivedType(typeof(CodeLearnabilityScorerDefinition), "code_learnability")]
public abstract record ScorerDefinition
{
    /// <summary>Distinguishes several scorers of one game; defaults to the kind.</summary>
    public string? Name { get; init; }

    /// <summary>The role whose last turn is scored and who receives the value. Null = the last role to speak.</summary>
    public string? Role { get; init; }

    /// <summary>Optional regex applied to the turn; group 1 (or the whole match) is the answer. No match = score 0.</summary>
    public string? Extract { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<OpponentScoring>))]
    public OpponentScoring Opponents { get; init; } = OpponentScoring.None;
}

public enum OpponentScoring
{
    /// <summary>Other roles get no score from this scorer.</summary>
    None,

    /// <summary>Other roles get 1 − value (zero-sum on [0, 1]).</summary>
    Complement,

    /// <summary>Other roles get the same value (cooperative games).</summary>
    Same,
}

/// <summary>1 when the answer equals Expected after trimming (and case folding unless CaseSensitive).</summary>
public sealed record ExactMatchScorerDefinition : ScorerDefinition
{
    public string Expected { get; init; } = "{{task.answer}}";

    public bool CaseSensitive { get; init; }
}

/// <summary>1 when the first number in the answer is within Tolerance of Expected (absolute, or relative if Relative).</summary>
public sealed record NumericScorerDefinition : ScorerDefinition
{
    public string Expected { get; init; } = "{{task.answer}}";

    public double Tolerance { get; init; } = 1e-9;

    public bool Relative { get; init; }
}

/// <summary>1 when Pattern (a .NET regex, with placeholders) matches the answer.</summary>
public sealed record RegexScorerDefinition : ScorerDefinition
{
    public string Pattern { get; init; } = "";

    public bool IgnoreCase { get; init; } = true;
}

/// <summary>1 when the answer contains Value.</summary>
public sealed record ContainsScorerDefinition : ScorerDefinition
{
    public string Value { get; init; } = "{{task.answer}}";

    public bool CaseSensitive { get; init; }
}

/// <summary>Parses the first JSON object in the answer and compares the value at Path (dot-separated) with Expected.</summary>
public sealed record JsonFieldScorerDefinition : ScorerDefinition
{
    public string Path { get; init; } = "answer";

    public string Expected { get; init; } = "{{task.answer}}";

    public bool CaseSensitive { get; init; }
}

/// <summary>
/// AI feedback: a judge policy compares two roles' answers (Candidates, judged in both orders) or grades Role's
/// answer alone (no Candidates) on 0–10. Always stored with grounded = false. See docs/judges.md.
/// </summary>
public sealed record JudgeScorerDefinition : ScorerDefinition
{
    /// <summary>Two roles to compare; their answers are shown as A and B, then swapped. Empty = grade Role alone.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>What the judge is asked to decide (placeholders {{task.*}}); the verdict format is added by the scorer.</summary>
    public string Instructions { get; init; } = "Decide which answer is more correct and more helpful for the question.";

    /// <summary>"self" (the run's policy), "opponent" (the run's opponent, else self) or "judge" (Socratic:Judge:Model).</summary>
    public string Policy { get; init; } = "self";

    /// <summary>Which of a candidate's turns the judge sees: "last" or "all" (joined in order).</summary>
    public string Turns { get; init; } = "last";

    /// <summary>Greedy and short by default: a verdict is one line, and the same episode must get the same verdict.</summary>
    public Policies.SamplingSettings Sampling { get; init; } = new() { Temperature = 0, TopK = 1, MaxTokens = 48 };
}

/// <summary>
/// Grounded improvement: Check (a grounded scorer) is applied to two of Role's turns, Before and After (0 = first,
/// −1 = last), and the value is after − before, in [−1, 1]. Rewards a revision that fixes an answer.
/// </summary>
public sealed record ImprovementScorerDefinition : ScorerDefinition
{
    public ScorerDefinition? Check { get; init; }

    public int Before { get; init; }

    public int After { get; init; } = -1;
}

/// <summary>Every player's score from the game's rules (see Environments/); needs the game's "environment".</summary>
public sealed record EnvironmentScorerDefinition : ScorerDefinition;
/// <summary>Runs the role's Python (from a ```python fence, or the raw turn) in the sandbox against the task's
/// hidden tests; the value is the fraction that pass. Tests is a JSON list of {"args": [...], "expected": ...}:
/// EntryPoint(*args) must return a value equal (as JSON) to expected.</summary>
public sealed record PythonTestsScorerDefinition : ScorerDefinition
{
    public string Tests { get; init; } = "{{task.tests}}";

    public string EntryPoint { get; init; } = "{{task.entry_point}}";

    /// <summary>Per-test time limit inside the run (the sandbox's wall clock bounds the whole run).</summary>
    public double TimeoutSecondsPerTest { get; init; } = 2;
}

/// <summary>Proposer–solver code games. Role (the examiner) writes a reference solution (```python) and tests
/// (```json, the python_tests format); the task is valid when the reference passes all of them in the sandbox.
/// Each solver's code is then run against the same tests (its value: the fraction passed), and the proposer
/// roles get the learnability reward 1 − |2p − 1|, p = the share of solvers passing every test: 1 when half
/// solve it, 0 when all or none do, and 0 for an invalid task (solvers are then not scored).</summary>
public sealed record CodeLearnabilityScorerDefinition : ScorerDefinition
{
    /// <summary>Roles rewarded for the task (e.g. the setter who states it and the examiner who tests it).</summary>
    public IReadOnlyList<string> ProposerRoles { get; init; } = [];

    /// <summary>Roles attempting the task; they should not see the examiner's turn (protocol visibility).</summary>
    public IReadOnlyList<string> SolverRoles { get; init; } = [];

    public int MinTests { get; init; } = 3;

    public int MaxTests { get; init; } = 20;

    public double TimeoutSecondsPerTest { get; init; } = 2;
}
