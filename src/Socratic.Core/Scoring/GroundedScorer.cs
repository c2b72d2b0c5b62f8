// Shared behaviour of the grounded scorers: choose the scored role, take its LAST turn, apply the optional
// Extract regex, let the concrete scorer compare, then hand the other roles their share per OpponentScoring.
// Deterministic: the same episode always gets the same scores. Most scorers compare synchronously (Compare);
// those that run something (python_tests) override CompareAsync instead.
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

    public async ValueTask<IReadOnlyList<ScoreResult>> ScoreAsync(ScoringContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();

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
        var value = Math.Clamp(await EvaluateAsync(role, context, details, cancellationToken), 0.0, 1.0);
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

    private async ValueTask<double> EvaluateAsync(string role, ScoringContext context, JsonObject details, CancellationToken cancellationToken)
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
        return await CompareAsync(answer, context, details, cancellationToken);
    }

    /// <summary>Scores the (extracted) answer in [0, 1]; records "expected" and "reason" in <paramref name="details"/>.</summary>
    protected virtual double Compare(string answer, ScoringContext context, JsonObject details) =>
        throw new NotSupportedException($"{GetType().Name} must override Compare or CompareAsync.");

    /// <summary>The asynchronous form of <see cref="Compare"/>, for scorers that wait on something (a sandbox run).</summary>
    protected virtual ValueTask<double> CompareAsync(string answer, ScoringContext context, JsonObject details, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Compare(answer, context, details));

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
