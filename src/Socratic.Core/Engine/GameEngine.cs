// Plays one episode of any game definition: for each turn it builds the speaking role's view, asks that
// role's policy for text (streaming pieces to the observer), enforces the protocol (turn order, max turns,
// token caps, stop conditions), then runs every scorer. Deterministic for a fixed seed and policy.
// A game with an environment is played by its rules instead: the environment says who moves and what each
// role sees, rules on every reply, and ends the game; stored turns are replayed into it to resume.
// Concurrency lives below (the policy runtime batches concurrent turns); callers play many episodes by
// awaiting many PlayAsync calls at once.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;

namespace Socratic.Core.Engine;

public sealed class GameEngine(IPolicyProvider policies, IScorerFactory scorers, TimeProvider? time = null)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<EpisodeResult> PlayAsync(EpisodePlan plan, IEpisodeObserver? observer, CancellationToken cancellationToken)
    {
        observer ??= EpisodeObserver.None;
        var game = plan.Game;
        if (game.Environment is not null)
        {
            return await PlayEnvironmentAsync(plan, game.Environment, observer, cancellationToken);
        }

        var order = game.EffectiveTurnOrder;
        var maxTurns = game.Protocol.MaxTurns > 0 ? game.Protocol.MaxTurns : order.Count;
        var turns = new List<TurnRecord>(plan.CompletedTurns);
        var endReason = turns.Count > 0 && FindStop(game, turns[^1]) is { } resumedStop ? resumedStop : "max_turns";

        while (endReason == "max_turns" && turns.Count < maxTurns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = turns.Count;
            var role = order[index % order.Count];
            var turn = await PlayTurnAsync(plan, role, index, ConversationView.Build(game, plan.Task, role, turns), observer, cancellationToken);
            turns.Add(turn);
            await observer.TurnCompletedAsync(turn, cancellationToken);
            if (FindStop(game, turn) is { } stop)
            {
                endReason = stop;
            }
        }

        return await ScoreAsync(plan, turns, endReason, observer, cancellationToken);
    }

    private async Task<EpisodeResult> PlayEnvironmentAsync(
        EpisodePlan plan, Environments.EnvironmentDefinition definition, IEpisodeObserver observer, CancellationToken cancellationToken)
    {
        var turns = new List<TurnRecord>(plan.CompletedTurns);
        var environment = definition.Replay(plan.Task, plan.Seed, turns);
        while (environment.ToMove is { } role)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (turns.Count >= environment.TurnLimit)
            {
                // Unreachable while the rules count moves and forfeits correctly; a guard, not a game outcome.
                throw new InvalidOperationException($"The {environment.Kind} game did not end within {environment.TurnLimit} turns.");
            }

            var index = turns.Count;
            var view = EnvironmentView.Build(plan.Game, plan.Task, role, environment.Observe(role));
            var turn = await PlayTurnAsync(plan, role, index, view, observer, cancellationToken);
            environment.Submit(index, role, turn.Text);
            turns.Add(turn);
            await observer.TurnCompletedAsync(turn, cancellationToken);
        }

        return await ScoreAsync(plan, turns, environment.EndReason!, observer, cancellationToken);
    }

    private async Task<EpisodeResult> ScoreAsync(
        EpisodePlan plan, IReadOnlyList<TurnRecord> turns, string endReason, IEpisodeObserver observer, CancellationToken cancellationToken)
    {
        var context = new ScoringContext(plan.Game, plan.Task, turns) { Seed = plan.Seed, Policies = plan.Policies };
        var scores = new List<ScoreResult>();
        foreach (var definition in plan.Game.Scoring)
        {
            scores.AddRange(await scorers.Create(definition).ScoreAsync(context, cancellationToken));
        }

        await observer.ScoredAsync(scores, cancellationToken);
        return new EpisodeResult(turns, scores, endReason);
    }

    private async Task<TurnRecord> PlayTurnAsync(
        EpisodePlan plan, string role, int index, IReadOnlyList<ChatMessage> messages, IEpisodeObserver observer, CancellationToken cancellationToken)
    {
        var game = plan.Game;
        var roleDef = game.FindRole(role) ?? throw new InvalidOperationException($"Turn order names '{role}', which is not a role of the game.");
        if (!plan.Policies.TryGetValue(role, out var spec))
        {
            throw new InvalidOperationException($"No policy was given for role '{role}'.");
        }

        var policy = await policies.GetAsync(spec, cancellationToken);
        var sampling = roleDef.Sampling with
        {
            Temperature = plan.Temperature ?? roleDef.Sampling.Temperature,
            MaxTokens = Math.Min(roleDef.Sampling.MaxTokens, game.Protocol.MaxTokensPerTurn),
            Seed = roleDef.Sampling.Seed ?? Seeds.Turn(plan.Seed, index),
        };

        await observer.TurnStartedAsync(index, role, cancellationToken);
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var result = await policy.GenerateAsync(messages, sampling, piece => observer.Token(index, piece), cancellationToken);
        return new TurnRecord(
            index, role, result.Text, result.PromptTokens, result.CompletionTokens, startedAt, clock.Elapsed, result.TimeToFirstToken, result.FinishReason);
    }

    private static string? FindStop(GameDefinition game, TurnRecord turn)
    {
        foreach (var stop in game.Protocol.StopWhen)
        {
            if (stop.Role is not null && stop.Role != turn.Role)
            {
                continue;
            }

            var hit = stop.Kind switch
            {
                StopKind.Contains => turn.Text.Contains(stop.Pattern, StringComparison.OrdinalIgnoreCase),
                StopKind.Regex => SafeIsMatch(turn.Text, stop.Pattern),
                _ => false,
            };
            if (hit)
            {
                return $"stop:{stop.Kind.ToString().ToLowerInvariant()}:{stop.Pattern}";
            }
        }

        return null;
    }

    private static bool SafeIsMatch(string text, string pattern)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            // Model output is untrusted: a pathological match counts as "no stop" rather than hanging the worker.
            return false;
        }
    }
}
