// The game mix as a run samples it: each enabled game's share is its weight over the sum of enabled weights.
// Paused games and negative weights count as zero, exactly as RunPlayer's weighted pick treats them, so the
// percentages the Games page shows are the frequencies a run will play.
namespace Socratic.Web.Games;

public sealed record MixEntry(long GameId, double Weight, bool Enabled);

public static class GameMix
{
    /// <summary>Game id → share in [0, 1]. All zero when nothing would be played (every game paused or weighted 0).</summary>
    public static IReadOnlyDictionary<long, double> Normalise(IEnumerable<MixEntry> games)
    {
        var list = games.ToList();
        var total = list.Sum(Effective);
        return list.ToDictionary(g => g.GameId, g => total > 0 ? Effective(g) / total : 0);
    }

    private static double Effective(MixEntry g) => g.Enabled && double.IsFinite(g.Weight) ? Math.Max(0, g.Weight) : 0;
}
