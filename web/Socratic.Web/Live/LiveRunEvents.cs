// Turns a run's progress into live events. Seq grows within an episode and across its attempts
// (attempt-major), so a watcher never mistakes a resumed attempt's events for stale ones.
using Socratic.Core.Engine;
using Socratic.Core.Play;
using Socratic.Core.Scoring;

namespace Socratic.Web.Live;

public sealed class LiveRunEvents(ILiveFeed live) : IRunEvents
{
    public IEpisodeEvents Episode(long runId, long episodeId, int ordinal, int attempt) => new EpisodeEvents(live, runId, episodeId, ordinal, attempt);

    public void Progress(long runId, RunStatus status, int completed, int failed, int total, string? error) =>
        live.Publish(new RunProgress(runId, status.ToString(), completed, failed, total, error));

    private sealed class EpisodeEvents(ILiveFeed live, long runId, long episodeId, int ordinal, int attempt) : EpisodeObserver, IEpisodeEvents
    {
        private long _seq = (long)attempt << 32;

        private long NextSeq() => Interlocked.Increment(ref _seq);

        public void Started() => live.Publish(new EpisodeStatusChanged(runId, episodeId, NextSeq(), ordinal, "Running", null));

        public override ValueTask TurnStartedAsync(int index, string role, CancellationToken cancellationToken)
        {
            live.Publish(new TurnStarted(runId, episodeId, NextSeq(), index, role));
            return ValueTask.CompletedTask;
        }

        public override void Token(int index, string piece) => live.Publish(new TokenDelta(runId, episodeId, NextSeq(), index, piece));

        public override ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken)
        {
            live.Publish(new TurnCompleted(runId, episodeId, NextSeq(), turn.Index, turn.Role, turn.Text, turn.CompletionTokens, (int)turn.Duration.TotalMilliseconds));
            return ValueTask.CompletedTask;
        }

        public void Finished(EpisodeStatus status, EpisodeResult? result, string? error)
        {
            if (result is not null)
            {
                live.Publish(new EpisodeScored(runId, episodeId, NextSeq(), [.. result.Scores.Select(View)]));
            }

            live.Publish(new EpisodeStatusChanged(runId, episodeId, NextSeq(), ordinal, status.ToString(), error));
        }

        private static ScoreView View(ScoreResult s) => new(s.Role, s.Scorer, s.Kind, s.Value, s.Grounded);
    }
}
