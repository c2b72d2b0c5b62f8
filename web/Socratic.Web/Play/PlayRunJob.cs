// The Hangfire self-play job: a run's episodes played by RunPlayer, reported on the live feed. Hangfire may
// deliver it more than once (at-least-once, a killed worker's job is fetched again); RunPlayer makes that safe.
using Hangfire;
using Socratic.Core.Play;
using Socratic.Web.Live;

namespace Socratic.Web.Play;

public sealed class PlayRunJob(RunPlayer player, ILiveFeed live)
{
    public const string Queue = "selfplay";

    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(long runId, CancellationToken cancellationToken) =>
        player.PlayAsync(runId, new LiveRunEvents(live), cancellationToken);
}
