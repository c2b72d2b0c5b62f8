// Connects the engine's hooks to storage and the live feed for one episode attempt: each finished turn is
// written (idempotently) before it is announced, so anything an observer saw complete is in the database.
using Socratic.Core.Engine;
using Socratic.Core.Scoring;
using Socratic.Web.Live;

namespace Socratic.Web.Play;

public sealed class LiveEpisodeObserver(EpisodeStore store, ILiveFeed live, long runId, long episodeId, int attempt) : IEpisodeObserver
{
    // Seq grows across attempts too (attempt-major), so a watcher never mistakes a resumed attempt's events for stale ones.
    private long _seq = (long)attempt << 32;

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public ValueTask TurnStartedAsync(int index, string role, CancellationToken cancellationToken)
    {
        live.Publish(new TurnStarted(runId, episodeId, NextSeq(), index, role));
        return ValueTask.CompletedTask;
    }

    public void Token(int index, string piece) => live.Publish(new TokenDelta(runId, episodeId, NextSeq(), index, piece));

    public async ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken)
    {
        await store.SaveTurnAsync(episodeId, turn, cancellationToken);
        live.Publish(new TurnCompleted(runId, episodeId, NextSeq(), turn.Index, turn.Role, turn.Text, turn.CompletionTokens, (int)turn.Duration.TotalMilliseconds));
    }

    // Scores are announced by the job once they are committed (AnnounceScores), not when computed.
    public ValueTask ScoredAsync(IReadOnlyList<ScoreResult> scores, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void AnnounceScores(IReadOnlyList<ScoreResult> scores) =>
        live.Publish(new EpisodeScored(runId, episodeId, NextSeq(), [.. scores.Select(s => new ScoreView(s.Role, s.Scorer, s.Kind, s.Value, s.Grounded))]));
}
