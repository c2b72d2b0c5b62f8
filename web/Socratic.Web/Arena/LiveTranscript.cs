// The arena's in-memory view of one episode: stored turns from a snapshot, then live events applied in Seq
// order (older or duplicate events are ignored), so a late joiner's page converges on the stored transcript.
using Socratic.Web.Live;

namespace Socratic.Web.Arena;

public sealed class LiveTranscript(long episodeId, int ordinal)
{
    public sealed class TurnView
    {
        public required int Index { get; init; }

        public required string Role { get; set; }

        public string Text { get; set; } = "";

        public bool Done { get; set; }
    }

    public long EpisodeId { get; } = episodeId;

    public int Ordinal { get; } = ordinal;

    public string Status { get; set; } = "Running";

    public long LastSeq { get; private set; }

    public List<TurnView> Turns { get; } = [];

    public List<ScoreView> Scores { get; } = [];

    public void AddStoredTurn(int index, string role, string text) => Turns.Add(new TurnView { Index = index, Role = role, Text = text, Done = true });

    /// <summary>Applies a live event; returns false when it was stale and ignored.</summary>
    public bool Apply(LiveEvent e)
    {
        var seq = (e as EpisodeEvent)?.Seq ?? 0;
        if (seq <= LastSeq)
        {
            return false;
        }

        LastSeq = seq;
        switch (e)
        {
            case TurnStarted s:
                Turn(s.TurnIndex, s.Role);
                break;
            case TokenDelta d when Turn(d.TurnIndex, null) is { Done: false } t:
                t.Text += d.Text;
                break;
            case TurnCompleted c:
                var done = Turn(c.TurnIndex, c.Role);
                done.Text = c.Text.Length > 0 ? c.Text : done.Text;
                done.Done = true;
                break;
            case EpisodeScored s:
                Scores.Clear();
                Scores.AddRange(s.Scores);
                break;
            case EpisodeStatusChanged s:
                Status = s.Status;
                break;
        }

        return true;
    }

    private TurnView Turn(int index, string? role)
    {
        var turn = Turns.FirstOrDefault(t => t.Index == index);
        if (turn is null)
        {
            turn = new TurnView { Index = index, Role = role ?? "" };
            Turns.Add(turn);
            Turns.Sort((a, b) => a.Index.CompareTo(b.Index));
        }
        else if (role is not null)
        {
            turn.Role = role;
        }

        return turn;
    }
}
