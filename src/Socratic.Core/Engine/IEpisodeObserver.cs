// Hooks the engine calls while an episode plays: persistence writes each finished turn, live streaming
// forwards token pieces, the CLI prints. Token is synchronous and hot (one call per decoded piece).
using Socratic.Core.Scoring;

namespace Socratic.Core.Engine;

public interface IEpisodeObserver
{
    ValueTask TurnStartedAsync(int index, string role, CancellationToken cancellationToken);

    void Token(int index, string piece);

    ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken);

    ValueTask ScoredAsync(IReadOnlyList<ScoreResult> scores, CancellationToken cancellationToken);
}

/// <summary>An observer that ignores everything; also a base for observers that need only some hooks.</summary>
public class EpisodeObserver : IEpisodeObserver
{
    public static readonly EpisodeObserver None = new();

    public virtual ValueTask TurnStartedAsync(int index, string role, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public virtual void Token(int index, string piece)
    {
    }

    public virtual ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public virtual ValueTask ScoredAsync(IReadOnlyList<ScoreResult> scores, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
