// AI feedback from a judge policy. Compare mode shows two roles' answers as A and B, then again swapped, and
// only a verdict that names the same role in both orders counts: the winner gets 1, the other 0. A verdict
// that flips with the order (position bias) or is missing in either order gives both 0.5 — no usable
// preference, so neither side is rewarded or punished — and details say why ("consistent": false).
// Grade mode asks for 0–10 on one answer (value = grade / 10; no verdict = 0). Every result is grounded = false,
// and carries the answer lengths the length monitor correlates with the value.
using System.Text.Json.Nodes;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;

namespace Socratic.Core.Scoring;

/// <summary>The judge model used by scorers whose policy is "judge" (Socratic:Judge:Model).</summary>
public sealed record JudgeOptions(PolicySpec? Model);

public sealed class JudgeScorer(JudgeScorerDefinition definition, IPolicyProvider policies, JudgeOptions? options = null) : IScorer
{
    /// <summary>Judge outputs are cut to this length in details.</summary>
    public const int MaxOutputChars = 600;

    private readonly string _name = ScorerFactory.ScorerName(definition);

    public async ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = await policies.GetAsync(ResolvePolicy(context), cancellationToken);
        return definition.Candidates.Count == 2
            ? await CompareAsync(policy, context, definition.Candidates[0], definition.Candidates[1], cancellationToken)
            : await GradeAsync(policy, context, cancellationToken);
    }

    /// <summary>The policy that judges: the configured judge model, or the policy that played a "self"/"opponent" role.</summary>
    public PolicySpec ResolvePolicy(ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (definition.Policy == "judge")
        {
            return options?.Model ?? throw new InvalidOperationException(
                $"Scorer '{_name}' uses policy \"judge\", but no judge model is configured (Socratic:Judge:Model).");
        }

        PolicySpec? Played(string kind) => context.Game.Roles
            .Where(r => r.Policy == kind && context.Policies.ContainsKey(r.Name))
            .Select(r => context.Policies[r.Name])
            .FirstOrDefault();

        return (definition.Policy == "opponent" ? Played("opponent") : null)
            ?? Played("self")
            ?? context.Policies.Values.FirstOrDefault()
            ?? throw new InvalidOperationException($"Scorer '{_name}' has no policy to judge with: the episode names none.");
    }

    private async Task<IReadOnlyList<ScoreResult>> CompareAsync(
        IPolicy policy, ScoringContext context, string first, string second, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal) { [first] = AnswerOf(context, first), [second] = AnswerOf(context, second) };
        var orders = new JsonArray();
        var winners = new List<string?>();
        foreach (var (slotA, slotB, order) in new[] { (first, second, 0), (second, first, 1) })
        {
            var messages = JudgePrompt.Compare(definition, context.Task, answers[slotA], answers[slotB]);
            var output = await GenerateAsync(policy, messages, context, order, cancellationToken);
            var verdict = JudgeVerdict.ParseChoice(output);
            var winner = verdict.Choice switch { "A" => slotA, "B" => slotB, _ => null };
            winners.Add(winner);
            orders.Add(new JsonObject
            {
                ["a"] = slotA, ["b"] = slotB, ["verdict"] = verdict.Choice, ["winner"] = winner, ["error"] = verdict.Error, ["output"] = Cut(output),
            });
        }

        var consistent = winners[0] is not null && winners[0] == winners[1];
        var reason = consistent ? $"{winners[0]} preferred in both orders"
            : winners.All(w => w is null) ? "no verdict in either order"
            : winners.Any(w => w is null) ? "no verdict in one order"
            : "verdict flipped with the order (position bias)";

        return [.. new[] { first, second }.Select(role =>
        {
            var value = consistent ? (winners[0] == role ? 1.0 : 0.0) : 0.5;
            var other = role == first ? second : first;
            var details = new JsonObject
            {
                ["kind"] = "judge", ["mode"] = "compare", ["role"] = role, ["value"] = value, ["consistent"] = consistent, ["reason"] = reason,
                ["answerChars"] = answers[role].Length, ["otherChars"] = answers[other].Length, ["orders"] = orders.DeepClone(),
            };
            return new ScoreResult(role, _name, "judge", value, Grounded: false) { Details = details };
        })];
    }

    private async Task<IReadOnlyList<ScoreResult>> GradeAsync(IPolicy policy, ScoringContext context, CancellationToken cancellationToken)
    {
        var order = context.Game.EffectiveTurnOrder;
        var role = definition.Role ?? (context.Turns.Count > 0 ? context.Turns[^1].Role : null) ?? (order.Count > 0 ? order[^1] : null);
        if (role is null)
        {
            return [];
        }

        var answer = AnswerOf(context, role);
        var output = await GenerateAsync(policy, JudgePrompt.Grade(definition, context.Task, answer), context, 0, cancellationToken);
        var verdict = JudgeVerdict.ParseGrade(output);
        var value = verdict.Grade is { } g ? g / 10.0 : 0.0;
        var details = new JsonObject
        {
            ["kind"] = "judge", ["mode"] = "grade", ["role"] = role, ["value"] = value, ["grade"] = verdict.Grade,
            ["reason"] = verdict.Error ?? "graded", ["answerChars"] = answer.Length, ["output"] = Cut(output),
        };
        return [new ScoreResult(role, _name, "judge", value, Grounded: false) { Details = details }];
    }

    private string AnswerOf(ScoringContext context, string role)
    {
        var turns = context.Turns.Where(t => t.Role == role).Select(t => t.Text).ToList();
        return turns.Count == 0 ? "" : definition.Turns == "all" ? string.Join("\n\n", turns) : turns[^1];
    }

    // The same episode must get the same verdict when it is scored again (a resumed job rescoring it), so the
    // sampling seed is a function of the task and the order, unless the game fixes one.
    private async Task<string> GenerateAsync(IPolicy policy, IReadOnlyList<ChatMessage> messages, ScoringContext context, int order, CancellationToken cancellationToken)
    {
        var seed = definition.Sampling.Seed ?? (uint)(Seeds.Combine(Seeds.OfText(context.Task.Id), 7_000_003L + order) >> 32);
        var result = await policy.GenerateAsync(messages, definition.Sampling with { Seed = seed }, null, cancellationToken);
        return result.Text;
    }

    private static string Cut(string text) =>
        text.Length <= MaxOutputChars ? text : text[..MaxOutputChars] + "…";
}
