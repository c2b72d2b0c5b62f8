// What observers receive. Every event of an episode carries a Seq that grows within one attempt of the
// episode, so a late joiner can merge its snapshot with events that were already in flight.
using System.Text.Json.Serialization;

namespace Socratic.Web.Live;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TurnStarted), "turnStarted")]
[JsonDerivedType(typeof(TokenDelta), "tokenDelta")]
[JsonDerivedType(typeof(TurnCompleted), "turnCompleted")]
[JsonDerivedType(typeof(EpisodeScored), "episodeScored")]
[JsonDerivedType(typeof(EpisodeStatusChanged), "episodeStatus")]
[JsonDerivedType(typeof(RunProgress), "runProgress")]
[JsonDerivedType(typeof(TrainingProgress), "trainingProgress")]
public abstract record LiveEvent(long RunId);

/// <summary>An event of one episode; Seq orders them within the episode.</summary>
public abstract record EpisodeEvent(long RunId, long EpisodeId, long Seq) : LiveEvent(RunId);

public sealed record TurnStarted(long RunId, long EpisodeId, long Seq, int TurnIndex, string Role) : EpisodeEvent(RunId, EpisodeId, Seq);

public sealed record TokenDelta(long RunId, long EpisodeId, long Seq, int TurnIndex, string Text) : EpisodeEvent(RunId, EpisodeId, Seq);

public sealed record TurnCompleted(long RunId, long EpisodeId, long Seq, int TurnIndex, string Role, string Text, int CompletionTokens, int DurationMs)
    : EpisodeEvent(RunId, EpisodeId, Seq);

public sealed record ScoreView(string Role, string Scorer, string Kind, double Value, bool Grounded);

public sealed record EpisodeScored(long RunId, long EpisodeId, long Seq, IReadOnlyList<ScoreView> Scores) : EpisodeEvent(RunId, EpisodeId, Seq);

public sealed record EpisodeStatusChanged(long RunId, long EpisodeId, long Seq, int Ordinal, string Status, string? Error)
    : EpisodeEvent(RunId, EpisodeId, Seq);

public sealed record RunProgress(long RunId, string Status, int Completed, int Failed, int Total, string? Error) : LiveEvent(RunId);

/// <summary>A training run's step (or final status); RunId is 0, the run is TrainingRunId (group training:{id}).</summary>
public sealed record TrainingProgress(long RunId, long TrainingRunId, int Step, int TotalSteps, double? Loss, string Status) : LiveEvent(RunId);

/// <summary>Publishes events to every web process watching the database (workers may be other machines).</summary>
public interface ILiveFeed
{
    void Publish(LiveEvent liveEvent);
}
