// The "environment" scorer: the game's rules decide every role's score. It rebuilds the game by replaying the
// episode's turns from (task, seed), so stored episodes can be re-scored and the score never depends on what
// the engine happened to keep in memory. Grounded; the details carry the outcome, every rejected move and the
// game's facts (board, cards, values, secret).
using Socratic.Core.Scoring;

namespace Socratic.Core.Environments;

public sealed class EnvironmentScorer(EnvironmentScorerDefinition definition) : IScorer
{
    public ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var environment = context.Game.Environment
            ?? throw new InvalidOperationException("An environment scorer needs a game with an environment.");
        var game = environment.Replay(context.Task, context.Seed, context.Turns);
        if (!game.IsOver)
        {
            throw new InvalidOperationException($"The {game.Kind} game is not over after {context.Turns.Count} turns; it cannot be scored.");
        }

        var outcome = game.Outcome();
        var name = ScorerFactory.ScorerName(definition);
        IReadOnlyList<ScoreResult> results =
        [
            .. game.Roles.Select(role =>
            {
                var details = outcome.Details.DeepClone().AsObject();
                details["kind"] = "environment";
                details["role"] = role;
                details["value"] = outcome.Scores[role];
                return new ScoreResult(role, name, "environment", outcome.Scores[role], Grounded: true) { Details = details };
            }),
        ];
        return ValueTask.FromResult(results);
    }
}
