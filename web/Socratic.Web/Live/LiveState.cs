// The web process's view of turns in progress: the text generated so far of each episode's current turn, as
// seen on the live feed. A late joiner's snapshot is the stored turns plus this partial turn.
using System.Collections.Concurrent;

namespace Socratic.Web.Live;

public sealed record PartialTurn(int TurnIndex, string Role, string Text, long Seq);

public sealed class LiveState
{
    private readonly ConcurrentDictionary<long, PartialTurn> _partial = new();

    /// <summary>Raised for every event after the state is updated (in-process subscribers such as Blazor pages).</summary>
    public event Action<LiveEvent>? Received;

    public PartialTurn? Partial(long episodeId) => _partial.TryGetValue(episodeId, out var p) ? p : null;

    public void Apply(LiveEvent e)
    {
        switch (e)
        {
            case TurnStarted s:
                _partial[s.EpisodeId] = new PartialTurn(s.TurnIndex, s.Role, "", s.Seq);
                break;
            case TokenDelta d:
                _partial.AddOrUpdate(
                    d.EpisodeId,
                    _ => new PartialTurn(d.TurnIndex, "", d.Text, d.Seq),
                    (_, p) => p.TurnIndex == d.TurnIndex ? p with { Text = p.Text + d.Text, Seq = d.Seq } : new PartialTurn(d.TurnIndex, "", d.Text, d.Seq));
                break;
            case TurnCompleted c:
                _partial.TryRemove(c.EpisodeId, out _);
                break;
            case EpisodeStatusChanged s when s.Status != "Running":
                _partial.TryRemove(s.EpisodeId, out _);
                break;
        }

        Received?.Invoke(e);
    }
}
