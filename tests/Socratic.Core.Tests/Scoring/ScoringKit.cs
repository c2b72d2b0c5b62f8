// Test helpers: a minimal game and episode transcript to score.
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Scoring;

internal static class ScoringKit
{
    public static GameDefinition Game(params string[] roles) => new()
    {
        Name = "test",
        Roles = [.. roles.Select(r => new RoleDefinition { Name = r })],
    };

    public static TurnRecord Turn(int index, string role, string text) =>
        new(index, role, text, 0, 0, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, FinishReason.Stop);

    /// <summary>Context where the roles speak in the given (role, text) order.</summary>
    public static ScoringContext Context(GameDefinition game, GameTask task, params (string Role, string Text)[] turns) =>
        new(game, task, [.. turns.Select((t, i) => Turn(i, t.Role, t.Text))]);

    public static ScoringContext Solo(string text, string? answer, params string[] extraRoles) =>
        Context(Game(["solver", .. extraRoles]), new GameTask("t1", "question", answer), ("solver", text));

    public static IReadOnlyList<ScoreResult> Score(ScorerDefinition definition, ScoringContext context) =>
        new ScorerFactory().Create(definition).ScoreAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public static double ScoreOf(ScorerDefinition definition, ScoringContext context, string role = "solver") =>
        Score(definition, context).Single(r => r.Role == role).Value;

    public static string? Reason(ScorerDefinition definition, ScoringContext context, string role = "solver") =>
        (string?)Score(definition, context).Single(r => r.Role == role).Details["reason"];
}
