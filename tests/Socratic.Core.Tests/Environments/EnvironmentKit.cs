// Test helpers for the rule engines: a scripted sequence of replies is submitted in order (the role to move
// must be the one the script names), and the same replies can be turned into stored turns for replay and scoring.
using Socratic.Core.Engine;
using Socratic.Core.Environments;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Environments;

internal static class EnvironmentKit
{
    public static readonly GameTask NoTask = new("t", "Play.", null);

    /// <summary>Submits each (role, text) in order and returns whether each was a legal move.</summary>
    public static IReadOnlyList<bool> SubmitAll(GameEnvironment environment, params (string Role, string Text)[] replies)
    {
        var results = new List<bool>();
        foreach (var (role, text) in replies)
        {
            Assert.Equal(role, environment.ToMove);
            results.Add(environment.Submit(results.Count, role, text));
        }

        return results;
    }

    public static IReadOnlyList<TurnRecord> Turns(params (string Role, string Text)[] replies) =>
        [.. replies.Select((r, i) => new TurnRecord(i, r.Role, r.Text, 1, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, FinishReason.Stop))];

    /// <summary>Every role's observation, for comparing two states.</summary>
    public static IReadOnlyList<string> Observations(GameEnvironment environment) => [.. environment.Roles.Select(environment.Observe)];
}
