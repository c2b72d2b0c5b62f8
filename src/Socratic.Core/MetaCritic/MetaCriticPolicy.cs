// The meta-critic: after each generation it reads the evidence and proposes — never applies — changes, each with
// its kind, the numbers behind it, the episodes to look at, and the effect it expects. Admins (or an autopilot
// they allowed for that kind) decide. Rules, in order:
//  - Promote / Roll back: the new policy's held-out accuracy beats / trails its parent's on a suite with the 95%
//    Newcombe interval of the difference excluding 0 (and no suite moves the other way beyond its interval).
//  - Pause a game being exploited: its mean score rose by ExploitScoreRise while held-out accuracy stayed flat or
//    fell; or its judge's scores follow answer length; or a canary fired.
//  - Raise diversity pressure when coverage alarms of kind "collapse" fired: temperature + TemperatureStep.
//  - Re-weight games with a multiplicative-weights (EXP3-style) update whose reward is each game's estimated
//    contribution to held-out change: credit_g = Δeval × (share_g − p_g) / p_g, where p_g is the game's share of
//    the mix and share_g its share of the curated data. A game that supplied more data than its weight implied in a
//    generation where held-out accuracy rose gains weight (and loses it when accuracy fell); over generations this
//    is a covariance estimate of each game's contribution. Shares are floored at MinShare so every game keeps
//    being explored.
using System.Text.Json.Nodes;

namespace Socratic.Core.MetaCritic;

public sealed record Proposal(DecisionKind Kind, string Rationale, JsonObject Evidence, string ExpectedEffect, JsonObject Payload);

public static class MetaCriticPolicy
{
    public static IReadOnlyList<Proposal> Propose(GenerationEvidence e, MetaCriticSettings s)
    {
        var proposals = new List<Proposal>();
        if (PromoteOrRollback(e) is { } verdict)
        {
            proposals.Add(verdict);
        }

        var evalChange = MeanAccuracy(e.Evaluation) - MeanAccuracy(e.ParentEvaluation);
        var hasParentEval = e.ParentEvaluation.Count > 0 && e.Evaluation.Count > 0;
        var paused = new HashSet<long>();
        foreach (var game in e.Games)
        {
            var reasons = new List<string>();
            if (hasParentEval && game.PreviousMeanScore is { } before && game.MeanScore - before >= s.ExploitScoreRise && evalChange <= s.FlatEvalChange)
            {
                reasons.Add($"its mean score rose from {before:0.###} to {game.MeanScore:0.###} while held-out accuracy changed by {evalChange:+0.###;-0.###;0}");
            }

            if (game.JudgeLengthCorrelation is { } corr && Math.Abs(corr) >= s.MaxJudgeLengthCorrelation)
            {
                reasons.Add($"its judge's scores follow answer length (correlation {corr:0.##})");
            }

            if (game.CanaryHits > 0)
            {
                reasons.Add($"{game.CanaryHits} reward-hacking canar{(game.CanaryHits == 1 ? "y" : "ies")} fired");
            }

            if (reasons.Count > 0)
            {
                paused.Add(game.GameId);
                proposals.Add(new Proposal(
                    DecisionKind.PauseGame,
                    $"Pause '{game.Game}': {string.Join("; ", reasons)}.",
                    Evidence(e, game, evalChange),
                    "Stops training on data whose score no longer tracks the grounded evaluation.",
                    new JsonObject { ["gameId"] = game.GameId }));
            }
        }

        var collapse = e.Alarms.Where(a => a.Kind == "collapse").ToList();
        if (collapse.Count > 0 && e.Temperature < s.MaxTemperature)
        {
            var next = Math.Min(s.MaxTemperature, Math.Round(e.Temperature + s.TemperatureStep, 3));
            proposals.Add(new Proposal(
                DecisionKind.RaiseDiversity,
                $"Coverage is collapsing ({string.Join("; ", collapse.Select(a => a.Message))}); raise the sampling temperature from {e.Temperature:0.##} to {next:0.##}.",
                new JsonObject { ["generation"] = e.Generation, ["alarms"] = new JsonArray([.. collapse.Select(a => (JsonNode)new JsonObject { ["metric"] = a.Metric, ["value"] = a.Value, ["threshold"] = a.Threshold })]) },
                "More varied self-play; distinct-n and novelty should recover next generation.",
                new JsonObject { ["temperature"] = next }));
        }

        if (hasParentEval && Reweight(e, s, evalChange, paused) is { } reweight)
        {
            proposals.Add(reweight);
        }

        return proposals;
    }

    private static Proposal? PromoteOrRollback(GenerationEvidence e)
    {
        if (e.ParentPolicyId is null)
        {
            return null;
        }

        var comparisons = e.Evaluation.Join(e.ParentEvaluation, c => c.Suite, p => p.Suite, (c, p) => (Suite: c.Suite, Now: c, Before: p, Interval: Proportions.Difference(c.Correct, c.Count, p.Correct, p.Count))).ToList();
        var better = comparisons.Where(c => c.Interval.Low > 0).ToList();
        var worse = comparisons.Where(c => c.Interval.High < 0).ToList();
        var evidence = new JsonObject
        {
            ["generation"] = e.Generation,
            ["policyId"] = e.PolicyId,
            ["parentPolicyId"] = e.ParentPolicyId,
            ["suites"] = new JsonArray([.. comparisons.Select(c => (JsonNode)new JsonObject
            {
                ["suite"] = c.Suite, ["accuracy"] = c.Now.Accuracy, ["parentAccuracy"] = c.Before.Accuracy, ["count"] = c.Now.Count,
                ["differenceLow"] = c.Interval.Low, ["differenceHigh"] = c.Interval.High,
            })]),
        };
        string Describe(IEnumerable<(string Suite, EvalEvidence Now, EvalEvidence Before, (double Low, double High) Interval)> list) =>
            string.Join("; ", list.Select(c => FormattableString.Invariant(
                $"{c.Suite} {c.Before.Accuracy * 100:0.0}% → {c.Now.Accuracy * 100:0.0}% (95% CI of the change {c.Interval.Low * 100:+0.0;-0.0} to {c.Interval.High * 100:+0.0;-0.0} points)")));

        if (better.Count > 0 && worse.Count == 0)
        {
            return new Proposal(DecisionKind.Promote, $"Promote policy {e.PolicyId}: it beats its parent on {Describe(better)}.", evidence,
                "Later generations start from the better policy.", new JsonObject { ["policyId"] = e.PolicyId });
        }

        if (worse.Count > 0 && better.Count == 0)
        {
            return new Proposal(DecisionKind.Rollback, $"Roll back policy {e.PolicyId} to {e.ParentPolicyId}: it trails its parent on {Describe(worse)}.", evidence,
                "The next generation plays and trains from the parent again.", new JsonObject { ["policyId"] = e.PolicyId, ["to"] = e.ParentPolicyId });
        }

        return null;
    }

    private static Proposal? Reweight(GenerationEvidence e, MetaCriticSettings s, double evalChange, HashSet<long> paused)
    {
        var active = e.Games.Where(g => !paused.Contains(g.GameId) && g.Weight > 0).ToList();
        var total = active.Sum(g => g.Weight);
        if (active.Count < 2 || total <= 0)
        {
            return null;
        }

        var mix = active.ToDictionary(g => g.GameId, g => g.Weight / total);
        var dataTotal = active.Sum(g => g.DataShare);
        var credit = active.ToDictionary(g => g.GameId, g => dataTotal <= 0 ? 0 : evalChange * ((g.DataShare / dataTotal) - mix[g.GameId]) / mix[g.GameId]);
        var raw = active.ToDictionary(g => g.GameId, g => mix[g.GameId] * Math.Exp(s.LearningRate * credit[g.GameId]));
        var next = Floor(Normalize(raw), s.MinShare);
        var largest = active.Max(g => Math.Abs(next[g.GameId] - mix[g.GameId]));
        if (largest < s.MinShareChange)
        {
            return null;
        }

        var evidence = new JsonObject
        {
            ["generation"] = e.Generation,
            ["evalChange"] = evalChange,
            ["games"] = new JsonArray([.. active.Select(g => (JsonNode)new JsonObject
            {
                ["gameId"] = g.GameId, ["game"] = g.Game, ["share"] = mix[g.GameId], ["dataShare"] = dataTotal <= 0 ? 0 : g.DataShare / dataTotal,
                ["credit"] = credit[g.GameId], ["proposedShare"] = next[g.GameId], ["meanScore"] = g.MeanScore,
            })]),
        };
        var moves = active.OrderByDescending(g => Math.Abs(next[g.GameId] - mix[g.GameId])).Take(3)
            .Select(g => FormattableString.Invariant($"'{g.Game}' {mix[g.GameId] * 100:0}% → {next[g.GameId] * 100:0}%"));
        return new Proposal(
            DecisionKind.Reweight,
            $"Re-weight games by their estimated contribution to held-out accuracy (change {evalChange:+0.###;-0.###;0}): {string.Join(", ", moves)}.",
            evidence,
            "More self-play on games whose data moved the held-out evaluation.",
            new JsonObject { ["weights"] = new JsonObject([.. active.Select(g => KeyValuePair.Create(g.GameId.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)next[g.GameId]))]) });
    }

    private static double MeanAccuracy(IReadOnlyList<EvalEvidence> evals) => evals.Count == 0 ? 0 : evals.Average(x => x.Accuracy);

    private static Dictionary<long, double> Normalize(Dictionary<long, double> weights)
    {
        var sum = weights.Values.Sum();
        return weights.ToDictionary(kv => kv.Key, kv => kv.Value / sum);
    }

    /// <summary>Raises shares below the floor to it and takes the difference proportionally from the others.</summary>
    private static Dictionary<long, double> Floor(Dictionary<long, double> shares, double floor)
    {
        var low = shares.Where(kv => kv.Value < floor).Select(kv => kv.Key).ToHashSet();
        if (low.Count == 0 || floor * shares.Count >= 1)
        {
            return shares;
        }

        var rest = shares.Where(kv => !low.Contains(kv.Key)).Sum(kv => kv.Value);
        var left = 1 - (floor * low.Count);
        return shares.ToDictionary(kv => kv.Key, kv => low.Contains(kv.Key) ? floor : kv.Value / rest * left);
    }

    private static JsonObject Evidence(GenerationEvidence e, GameEvidence g, double evalChange) => new()
    {
        ["generation"] = e.Generation,
        ["gameId"] = g.GameId,
        ["game"] = g.Game,
        ["meanScore"] = g.MeanScore,
        ["previousMeanScore"] = g.PreviousMeanScore,
        ["evalChange"] = evalChange,
        ["judgeLengthCorrelation"] = g.JudgeLengthCorrelation,
        ["canaryHits"] = g.CanaryHits,
        ["episodes"] = new JsonArray([.. (g.ExampleEpisodes ?? []).Select(id => (JsonNode)id)]),
    };
}
