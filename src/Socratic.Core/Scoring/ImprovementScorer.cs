// Grounded improvement between two turns of one role (self-refine): the same grounded check scores the Before
// turn and the After turn on their own, and the value is after − before in [−1, 1]: +1 for a wrong answer made
// right, −1 for a right answer made wrong, 0 when nothing changed. A role with fewer turns than asked for gets
// 0 with a reason, so skipping the revision is never rewarded.
using System.Text.Json.Nodes;

namespace Socratic.Core.Scoring;

public sealed class ImprovementScorer(ImprovementScorerDefinition definition, IScorerFactory scorers) : IScorer
{
    private readonly string _name = ScorerFactory.ScorerName(definition);

    public async ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = definition.Role ?? (context.Turns.Count > 0 ? context.Turns[^1].Role : null);
        if (role is null || definition.Check is null)
        {
            return [];
        }

        var turns = context.Turns.Where(t => t.Role == role).ToList();
        var details = new JsonObject { ["kind"] = "improvement", ["role"] = role };
        double value;
        int? before = Pick(turns.Count, definition.Before), after = Pick(turns.Count, definition.After);
        if (before is null || after is null || before == after)
        {
            details["reason"] = $"role '{role}' has {turns.Count} turn(s); turns {definition.Before} and {definition.After} are needed";
            value = 0;
        }
        else
        {
            // The check sees one turn at a time, as if it were the role's only answer.
            var check = scorers.Create(definition.Check with { Role = role, Opponents = OpponentScoring.None });
            var b = await CheckAsync(check, context, turns[before.Value], cancellationToken);
            var a = await CheckAsync(check, context, turns[after.Value], cancellationToken);
            details["before"] = b.Details.DeepClone();
            details["after"] = a.Details.DeepClone();
            value = a.Value - b.Value;
            details["reason"] = value > 0 ? "revision improved" : value < 0 ? "revision got worse" : "no change";
        }

        details["value"] = value;
        var results = new List<ScoreResult> { new(role, _name, "improvement", value, Grounded: true) { Details = details } };
        if (definition.Opponents == OpponentScoring.Same)
        {
            foreach (var other in context.Game.Roles.Select(r => r.Name).Where(n => n != role))
            {
                var shared = (JsonObject)details.DeepClone();
                shared["role"] = other;
                shared["scoredRole"] = role;
                results.Add(new ScoreResult(other, _name, "improvement", value, Grounded: true) { Details = shared });
            }
        }

        return results;
    }

    private static int? Pick(int count, int index)
    {
        var i = index < 0 ? count + index : index;
        return i >= 0 && i < count ? i : null;
    }

    private static async Task<ScoreResult> CheckAsync(IScorer check, ScoringContext context, Engine.TurnRecord turn, CancellationToken cancellationToken)
    {
        var results = await check.ScoreAsync(context with { Turns = [turn] }, cancellationToken);
        return results.Single();
    }
}
