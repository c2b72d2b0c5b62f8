// Builds the grounded scorers from their definitions; scorers that need services get them here (python_tests:
// the sandbox). Unknown definitions fail loudly rather than score 0.
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

/// <param name="sandbox">Runs python_tests code; null = a sandbox with default options, made on first use.</param>
public sealed class ScorerFactory(TimeSpan? regexTimeout = null, PythonSandbox? sandbox = null) : IScorerFactory
{
    private readonly Lazy<PythonSandbox> _sandbox = new(() => sandbox ?? new PythonSandbox(new SandboxOptions()));

    /// <summary>The name scores are stored under: the definition's Name, else its kind ("numeric").</summary>
    public static string ScorerName(ScorerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return string.IsNullOrWhiteSpace(definition.Name)
            ? Games.DerivedKinds.KindOf<ScorerDefinition>(definition)
            : definition.Name;
    }

    public IScorer Create(ScorerDefinition definition) => definition switch
    {
        ExactMatchScorerDefinition d => new ExactMatchScorer(d, regexTimeout),
        NumericScorerDefinition d => new NumericScorer(d, regexTimeout),
        RegexScorerDefinition d => new RegexScorer(d, regexTimeout),
        ContainsScorerDefinition d => new ContainsScorer(d, regexTimeout),
        JsonFieldScorerDefinition d => new JsonFieldScorer(d, regexTimeout),
        PythonTestsScorerDefinition d => new PythonTestsScorer(d, _sandbox.Value, regexTimeout),
        CodeLearnabilityScorerDefinition d => new CodeLearnabilityScorer(d, _sandbox.Value),
        null => throw new ArgumentNullException(nameof(definition)),
        _ => throw new NotSupportedException($"No grounded scorer for {definition.GetType().Name}."),
    };
}
