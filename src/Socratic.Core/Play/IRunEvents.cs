// What a run reports while it plays, for whoever shows it: the web host publishes to the live feed, the CLI
// prints. Turn events arrive after the turn is stored; an episode's end after its scores are committed.
using Socratic.Core.Engine;

namespace Socratic.Core.Play;

public interface IRunEvents
{
    /// <summary>Called once per attempt of an episode; the returned observer sees its turns.</summary>
    IEpisodeEvents Episode(long runId, long episodeId, int ordinal, int attempt);

    void Progress(long runId, RunStatus status, int completed, int failed, int total, string? error);
}

public interface IEpisodeEvents : IEpisodeObserver
{
    void Started();

    void Finished(EpisodeStatus status, EpisodeResult? result, string? error);
}

/// <summary>Reports nothing.</summary>
public sealed class NoRunEvents : IRunEvents
{
    public static readonly NoRunEvents Instance = new();

    public IEpisodeEvents Episode(long runId, long episodeId, int ordinal, int attempt) => new Silent();

    public void Progress(long runId, RunStatus status, int completed, int failed, int total, string? error)
    {
    }

    private sealed class Silent : EpisodeObserver, IEpisodeEvents
    {
        public void Started()
        {
        }

        public void Finished(EpisodeStatus status, EpisodeResult? result, string? error)
        {
        }
    }
}
