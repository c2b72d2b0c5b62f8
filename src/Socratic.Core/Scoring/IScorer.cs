// The scorer seam. Grounded scorers (answers, executed code, game rules) and AI judges implement the same
// interface; Grounded on each result keeps them apart in storage and in the meta-critic's evidence.
using System.Text.Json.Nodes;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Tasks;

namespace Socratic.Core.Scoring;

public sealed record ScoreResult(string Role, string Scorer, string Kind, double Value, bool Grounded)
{
    public JsonObject Details { get; init; } = [];
}

/// <param name="Game">The game being scored.</param>
/// <param name="Task">The task, including the reference answer.</param>
/// <param name="Turns">Every turn of the episode in order.</param>
public sealed record ScoringContext(GameDefinition Game, GameTask Task, IReadOnlyList<TurnRecord> Turns)
{
    /// <summary>The policy that played each role (as in the episode plan); judges that use "self" take theirs from here.</summary>
    public IReadOnlyDictionary<string, Policies.PolicySpec> Policies { get; init; } = new Dictionary<string, Policies.PolicySpec>();

    /// <summary>The episode seed; environment games deal from it, so their scorer replays the game with it.</summary>
    public ulong Seed { get; init; }
}

public interface IScorer
{
    ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken);
}

/// <summary>Builds the scorer for a definition; the place where scorers needing services (sandbox, judge) get them.</summary>
public interface IScorerFactory
{
    IScorer Create(ScorerDefinition definition);
}
