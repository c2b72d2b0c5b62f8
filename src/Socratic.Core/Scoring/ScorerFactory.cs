// Builds scorers from their definitions; scorers that need services get them here. Grounded scorers need
// nothing (python_tests and code_learnability: the sandbox, made with default options on first use when none is
// given); a judge needs the policy provider (and the configured judge model for policy "judge"), so a factory
// built without one refuses judge scorers with a clear error instead of scoring 0. Unknown definitions fail loudly.
using Socratic.Core.Policies;
using Socratic.Core.Sandbox;

namespace Socratic.Core.Scoring;

public sealed class ScorerFactory : IScorerFactory
{
    private readonly TimeSpan? _regexTimeout;
    private readonly IPolicyProvider? _policies;
    private readonly JudgeOptions? _judge;
    private readonly Lazy<PythonSandbox> _sandbox;

    /// <param name="sandbox">Runs python_tests code; null = a sandbox with default options, made on first use.</param>
    public ScorerFactory(TimeSpan? regexTimeout = null, PythonSandbox? sandbox = null)
    {
        _regexTimeout = regexTimeout;
        _sandbox = new(() => sandbox ?? new PythonSandbox(new SandboxOptions()));
    }

    /// <summary>A factory that can also build judge scorers.</summary>
    public ScorerFactory(IPolicyProvider policies, JudgeOptions? judge = null, TimeSpan? regexTimeout = null, PythonSandbox? sandbox = null)
        : this(regexTimeout, sandbox)
    {
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
        _judge = judge;
    }

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
        ExactMatchScorerDefinition d => new ExactMatchScorer(d, _regexTimeout),
        NumericScorerDefinition d => new NumericScorer(d, _regexTimeout),
        RegexScorerDefinition d => new RegexScorer(d, _regexTimeout),
        ContainsScorerDefinition d => new ContainsScorer(d, _regexTimeout),
        JsonFieldScorerDefinition d => new JsonFieldScorer(d, _regexTimeout),
        ImprovementScorerDefinition d => new ImprovementScorer(d, this),
        JudgeScorerDefinition d => new JudgeScorer(d, _policies ?? throw new NotSupportedException(
            $"Scorer '{ScorerName(d)}' is a judge, which needs a policy provider; this scorer factory was built without one."), _judge),
        EnvironmentScorerDefinition d => new Environments.EnvironmentScorer(d),
        PythonTestsScorerDefinition d => new PythonTestsScorer(d, _sandbox.Value, _regexTimeout),
        CodeLearnabilityScorerDefinition d => new CodeLearnabilityScorer(d, _sandbox.Value),
        null => throw new ArgumentNullException(nameof(definition)),
        _ => throw new NotSupportedException($"No scorer for {definition.GetType().Name}."),
    };
}
