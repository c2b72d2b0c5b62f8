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
