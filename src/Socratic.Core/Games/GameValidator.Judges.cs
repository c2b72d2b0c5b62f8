// Validation of the judge and improvement scorers, reported with JSON paths like every other game error.
using Socratic.Core.Scoring;

namespace Socratic.Core.Games;

public static partial class GameValidator
{
    public static readonly IReadOnlyList<string> JudgePolicies = ["self", "opponent", "judge"];

    private static void ValidateJudge(JudgeScorerDefinition j, HashSet<string> roles, string path, Action<string, string> error)
    {
        if (j.Candidates.Count is not (0 or 2))
        {
            error($"{path}.candidates", "a judge compares exactly two roles, or grades one (leave candidates empty and name role)");
        }
        else if (j.Candidates.Count == 2 && j.Candidates[0] == j.Candidates[1])
        {
            error($"{path}.candidates", "the two candidates must be different roles");
        }

        for (var i = 0; i < j.Candidates.Count; i++)
        {
            RequireRole(j.Candidates[i], roles, $"{path}.candidates[{i}]", error);
        }

        if (!JudgePolicies.Contains(j.Policy))
        {
            error($"{path}.policy", $"unknown judge policy '{j.Policy}'; allowed: {string.Join(", ", JudgePolicies)}");
        }

        if (j.Turns is not ("last" or "all"))
        {
            error($"{path}.turns", "turns must be \"last\" or \"all\"");
        }

        if (j.Opponents != OpponentScoring.None)
        {
            error($"{path}.opponents", "a judge scores its candidates itself; opponents must be \"none\"");
        }

        if (j.Extract is not null)
        {
            error($"{path}.extract", "a judge reads whole answers; extract is not supported");
        }

        if (j.Sampling.MaxTokens is < 1 or > MaxTokensLimit)
        {
            error($"{path}.sampling.maxTokens", $"maxTokens must be between 1 and {MaxTokensLimit}");
        }
    }

    private static void ValidateImprovement(ImprovementScorerDefinition m, HashSet<string> roles, string path, Action<string, string> error)
    {
        if (m.Role is null)
        {
            error($"{path}.role", "an improvement scorer needs the role whose turns it compares");
        }

        if (m.Check is null)
        {
            error($"{path}.check", "an improvement scorer needs a grounded check (e.g. { \"kind\": \"numeric\", … })");
        }
        else if (m.Check is JudgeScorerDefinition or ImprovementScorerDefinition)
        {
            error($"{path}.check.kind", "the check must be a grounded scorer (exact, numeric, regex, contains, json_field)");
        }
        else
        {
            ValidateScoring([m.Check with { Role = m.Role, Name = "check" }], roles, (p, e) => error(p.Replace("$.scoring[0]", $"{path}.check", StringComparison.Ordinal), e));
        }

        if (m.Opponents == OpponentScoring.Complement)
        {
            error($"{path}.opponents", "an improvement in [−1, 1] has no complement; use \"none\" or \"same\"");
        }
    }
}
