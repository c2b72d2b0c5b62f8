// Everything needed to play (or resume) one episode, and what playing it returns.
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Engine;

/// <param name="Game">The game version's definition.</param>
/// <param name="Task">The task drawn for this episode.</param>
/// <param name="Policies">The policy that plays each role, by role name.</param>
/// <param name="Seed">The episode seed; per-turn sampling seeds derive from it.</param>
public sealed record EpisodePlan(GameDefinition Game, GameTask Task, IReadOnlyDictionary<string, PolicySpec> Policies, ulong Seed)
{
    /// <summary>Turns already stored by an earlier attempt; the engine continues after them instead of replaying.</summary>
    public IReadOnlyList<TurnRecord> CompletedTurns { get; init; } = [];

    /// <summary>A run-level sampling temperature (a campaign's self-play temperature) that replaces every role's
    /// own; null keeps each role's. Only the temperature changes: a role's top-k/top-p still apply.</summary>
    public float? Temperature { get; init; }
}

public sealed record EpisodeResult(IReadOnlyList<TurnRecord> Turns, IReadOnlyList<ScoreResult> Scores, string EndReason)
{
    public int PromptTokens => Turns.Sum(t => t.PromptTokens);

    public int CompletionTokens => Turns.Sum(t => t.CompletionTokens);
}
