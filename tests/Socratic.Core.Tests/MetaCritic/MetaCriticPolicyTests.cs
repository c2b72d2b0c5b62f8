// The meta-critic proposes each kind of change exactly when its evidence says so, and stays quiet otherwise;
// the intervals it relies on match published values.
using Socratic.Core.Coverage;
using Socratic.Core.MetaCritic;

namespace Socratic.Core.Tests.MetaCritic;

public class MetaCriticPolicyTests
{
    private static readonly MetaCriticSettings Settings = new();

    private static GenerationEvidence Evidence(
        IReadOnlyList<GameEvidence>? games = null, (int Correct, int Count)? now = null, (int Correct, int Count)? before = null,
        IReadOnlyList<CoverageAlarm>? alarms = null, double temperature = 0.7) => new(
        Generation: 2, PolicyId: 20, ParentPolicyId: 10,
        Games: games ?? [new(1, "arith", 1, 0.5, 0.6, 0.55, 100), new(2, "story", 1, 0.5, 0.4, 0.4, 100)],
        Evaluation: now is { } n ? [new EvalEvidence("heldout", n.Count, n.Correct)] : [],
        ParentEvaluation: before is { } b ? [new EvalEvidence("heldout", b.Count, b.Correct)] : [],
        Alarms: alarms ?? [], Temperature: temperature);

    [Fact]
    public void Wilson_and_Newcombe_intervals_match_published_examples()
    {
        // Newcombe (1998) example: 56/70 vs 48/80 → difference 0.2, interval 0.0524 to 0.3339.
        var (low, high) = Proportions.Difference(56, 70, 48, 80);
        Assert.Equal(0.0524, low, 3);
        Assert.Equal(0.3339, high, 3);

        var (wl, wh) = Proportions.Wilson(0, 10);
        Assert.Equal(0, wl, 6);
        Assert.Equal(0.2775, wh, 3);
    }

    [Fact]
    public void A_clear_held_out_gain_is_proposed_for_promotion_and_a_clear_loss_for_rollback()
    {
        var promote = MetaCriticPolicy.Propose(Evidence(now: (140, 200), before: (100, 200)), Settings);
        var rollback = MetaCriticPolicy.Propose(Evidence(now: (60, 200), before: (100, 200)), Settings);

        var p = Assert.Single(promote, x => x.Kind == DecisionKind.Promote);
        Assert.Equal(20, (long)p.Payload["policyId"]!);
        Assert.Contains("50.0% → 70.0%", p.Rationale);
        var r = Assert.Single(rollback, x => x.Kind == DecisionKind.Rollback);
        Assert.Equal(10, (long)r.Payload["to"]!);
    }

    [Fact]
    public void A_change_inside_the_confidence_interval_proposes_neither_promotion_nor_rollback()
    {
        var proposals = MetaCriticPolicy.Propose(Evidence(now: (105, 200), before: (100, 200)), Settings);

        Assert.DoesNotContain(proposals, x => x.Kind is DecisionKind.Promote or DecisionKind.Rollback);
    }

    [Fact]
    public void A_game_whose_score_rises_while_held_out_accuracy_is_flat_is_proposed_for_pause_with_its_episodes()
    {
        var games = new GameEvidence[] { new(1, "judge-debate", 1, 0.5, 0.9, 0.5, 50, ExampleEpisodes: [7, 8]), new(2, "arith", 1, 0.5, 0.55, 0.5, 50) };

        var proposals = MetaCriticPolicy.Propose(Evidence(games, now: (100, 200), before: (101, 200)), Settings);

        var pause = Assert.Single(proposals, x => x.Kind == DecisionKind.PauseGame);
        Assert.Equal(1, (long)pause.Payload["gameId"]!);
        Assert.Equal([7L, 8L], pause.Evidence["episodes"]!.AsArray().Select(n => (long)n!));
    }

    [Fact]
    public void Length_following_judges_and_fired_canaries_are_proposed_for_pause_even_when_evaluation_rose()
    {
        var games = new GameEvidence[] { new(1, "debate", 1, 0.5, 0.6, 0.6, 50, JudgeLengthCorrelation: 0.8), new(2, "code", 1, 0.5, 0.5, 0.5, 50, CanaryHits: 2), new(3, "arith", 1, 0, 0.5, 0.5, 50) };

        var proposals = MetaCriticPolicy.Propose(Evidence(games, now: (130, 200), before: (100, 200)), Settings);

        Assert.Equal([1L, 2L], proposals.Where(x => x.Kind == DecisionKind.PauseGame).Select(x => (long)x.Payload["gameId"]!));
    }

    [Fact]
    public void Collapse_alarms_raise_diversity_by_one_temperature_step_up_to_the_cap()
    {
        CoverageAlarm[] alarms = [new("collapse", "distinct2", 0.05, 0.15, "distinct-2 0.05 is below 0.15")];

        var raise = Assert.Single(MetaCriticPolicy.Propose(Evidence(alarms: alarms, temperature: 0.7), Settings), x => x.Kind == DecisionKind.RaiseDiversity);
        Assert.Equal(0.9, (double)raise.Payload["temperature"]!, 6);
        Assert.DoesNotContain(MetaCriticPolicy.Propose(Evidence(alarms: alarms, temperature: 1.5), Settings), x => x.Kind == DecisionKind.RaiseDiversity);
        Assert.DoesNotContain(MetaCriticPolicy.Propose(Evidence(alarms: [new("drift", "meanLength", 9, 3, "longer")]), Settings), x => x.Kind == DecisionKind.RaiseDiversity);
    }

    [Fact]
    public void Reweighting_moves_weight_toward_the_game_that_supplied_more_data_when_evaluation_rose_and_away_when_it_fell()
    {
        // Equal weights, but "arith" supplied 80% of the curated data.
        var games = new GameEvidence[] { new(1, "arith", 1, 0.8, 0.6, 0.6, 100), new(2, "story", 1, 0.2, 0.4, 0.4, 100) };

        var rose = Assert.Single(MetaCriticPolicy.Propose(Evidence(games, now: (140, 200), before: (100, 200)), Settings), x => x.Kind == DecisionKind.Reweight);
        var fell = Assert.Single(MetaCriticPolicy.Propose(Evidence(games, now: (60, 200), before: (100, 200)), Settings), x => x.Kind == DecisionKind.Reweight);

        var up = rose.Payload["weights"]!.AsObject();
        var down = fell.Payload["weights"]!.AsObject();
        Assert.True((double)up["1"]! > 0.5 && (double)down["1"]! < 0.5, $"{up} / {down}");
        Assert.Equal(1.0, (double)up["1"]! + (double)up["2"]!, 6);
    }

    [Fact]
    public void Nothing_is_proposed_when_nothing_moved()
    {
        var games = new GameEvidence[] { new(1, "arith", 1, 0.5, 0.6, 0.6, 100), new(2, "story", 1, 0.5, 0.4, 0.4, 100) };

        Assert.Empty(MetaCriticPolicy.Propose(Evidence(games, now: (100, 200), before: (100, 200)), Settings));
    }
}
