// Shared behaviour of the grounded scorers: choose the scored role, take its LAST turn, apply the optional
// Extract regex, let the concrete scorer compare, then hand the other roles their share per OpponentScoring.
// Pure and deterministic: the same episode always gets the same scores and the same details.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Socratic.Core.Games;

namespace Socratic.Core.Scoring;

public abstract class GroundedScorer<TDefinition> : IScorer
    where TDefinition : ScorerDefinition
{
    /// <summary>Answers and expectations are cut to this length in details; the transcript has the full text.</summary>
    public const int MaxDetailChars = 2000;

    private readonly Regex? _extract;

    protected GroundedScorer(TDefinition definition, TimeSpan? regexTimeout)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        RegexTimeout = regexTimeout ?? SafeRegex.DefaultTimeout;
        Kind = DerivedKinds.KindOf<ScorerDefinition>(definition);
        Name = ScorerFactory.ScorerName(definition);
        _extract = definition.Extract is null ? null : SafeRegex.Create(definition.Extract, timeout: RegexTimeout);
    }

    public TDefinition Definition { get; }

    public string Name { get; }

    public string Kind { get; }

    protected TimeSpan RegexTimeout { get; }

    public ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Score(context));
    }

    /// <summary>Synchronous form of <see cref="ScoreAsync"/>; grounded scorers never wait on anything.</summary>
    public IReadOnlyList<ScoreResult> Score(ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // With no role named and nobody having spoken, the role that would have spoken last is the one that failed.
        var order = context.Game.EffectiveTurnOrder;
        var role = Definition.Role
            ?? (context.Turns.Count > 0 ? context.Turns[^1].Role : null)
            ?? (order.Count > 0 ? order[^1] : null);
        if (role is null)
        {
            return [];
        }

        var details = new JsonObject { ["kind"] = Kind, ["role"] = role };
        var value = Math.Clamp(Evaluate(role, context, details), 0.0, 1.0);
        details["value"] = value;

        var results = new List<ScoreResult> { new(role, Name, Kind, value, Grounded: true) { Details = details } };
        if (Definition.Opponents == OpponentScoring.None)
        {
            return results;
        }

        foreach (var other in context.Game.Roles.Select(r => r.Name).Where(n => n != role).Distinct(StringComparer.Ordinal))
        {
            var share = Definition.Opponents == OpponentScoring.Complement ? 1.0 - value : value;
            var otherDetails = (JsonObject)details.DeepClone();
            otherDetails["role"] = other;
            otherDetails["value"] = share;
            otherDetails["scoredRole"] = role;
            otherDetails["opponents"] = Definition.Opponents == OpponentScoring.Complement ? "complement" : "same";
            results.Add(new ScoreResult(other, Name, Kind, share, Grounded: true) { Details = otherDetails });
        }

        return results;
    }

    private double Evaluate(string role, ScoringContext context, JsonObject details)
    {
        var turn = context.Turns.LastOrDefault(t => string.Equals(t.Role, role, StringComparison.Ordinal));
        if (turn is null)
        {
            return Fail(details, $"role '{role}' never spoke");
        }

        details["turn"] = turn.Index;
        var answer = turn.Text ?? "";
        if (_extract is not null)
        {
            Match m;
            try
            {
                m = _extract.Match(answer);
            }
            catch (RegexMatchTimeoutException)
            {
                return Fail(details, "extract regex timed out");
            }

            if (!m.Success)
            {
                details["text"] = Truncate(answer);
                return Fail(details, "no answer extracted");
            }

            // Group 1 is the answer when the pattern has one and it took part in the match; else the whole match.
            answer = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Value : m.Value;
        }

        details["answer"] = Truncate(answer);
        return Compare(answer, context, details);
    }

    /// <summary>Scores the (extracted) answer in [0, 1]; records "expected" and "reason" in <paramref name="details"/>.</summary>
    protected abstract double Compare(string answer, ScoringContext context, JsonObject details);

    protected string RenderExpected(string template, ScoringContext context) =>
        PromptTemplate.Render(template, context.Task);

    protected static double Fail(JsonObject details, string reason)
    {
        details["reason"] = reason;
        return 0.0;
    }

    protected static double Verdict(JsonObject details, bool ok, string okReason, string failReason)
    {
        details["reason"] = ok ? okReason : failReason;
        return ok ? 1.0 : 0.0;
    }

    protected static string Truncate(string text) =>
        text.Length <= MaxDetailChars ? text : text[..MaxDetailChars] + "…";
}
