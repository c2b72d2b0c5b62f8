// Builds the grounded scorers from their definitions. Scorers that need services (sandbox, judge) will be
// added by decorating or replacing this factory; unknown definitions fail loudly rather than score 0.
namespace Socratic.Core.Scoring;

public sealed class ScorerFactory(TimeSpan? regexTimeout = null) : IScorerFactory
{
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
        EnvironmentScorerDefinition d => new Environments.EnvironmentScorer(d),
        null => throw new ArgumentNullException(nameof(definition)),
        _ => throw new NotSupportedException($"No grounded scorer for {definition.GetType().Name}."),
    };
}
