// GameValidator, continued: protocol, task source and scorer checks.
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static partial class GameValidator
{
    private static void ValidateProtocol(ProtocolDefinition? p, HashSet<string> roles, Action<string, string> error)
    {
        if (p is null)
        {
            error("$.protocol", "must not be null");
            return;
        }

        for (var i = 0; i < p.TurnOrder.Count; i++)
        {
            RequireRole(p.TurnOrder[i], roles, $"$.protocol.turnOrder[{i}]", error);
        }

        if (p.MaxTurns < 0 || p.MaxTurns > MaxTurnsLimit)
        {
            error("$.protocol.maxTurns", $"maxTurns must be between 0 and {MaxTurnsLimit} (0 = one pass through the turn order)");
        }

        if (p.MaxTokensPerTurn < 1 || p.MaxTokensPerTurn > MaxTokensLimit)
        {
            error("$.protocol.maxTokensPerTurn", $"maxTokensPerTurn must be between 1 and {MaxTokensLimit}");
        }

        for (var i = 0; i < p.StopWhen.Count; i++)
        {
            var stop = p.StopWhen[i];
            var path = $"$.protocol.stopWhen[{i}]";
            if (stop is null)
            {
                error(path, "null is not allowed in a list");
                continue;
            }

            if (string.IsNullOrEmpty(stop.Pattern))
            {
                error($"{path}.pattern", "a stop condition needs a pattern");
            }
            else if (stop.Kind == StopKind.Regex && SafeRegex.CompileError(stop.Pattern) is { } why)
            {
                error($"{path}.pattern", $"invalid regex: {why}");
            }

            if (stop.Role is not null)
            {
                RequireRole(stop.Role, roles, $"{path}.role", error);
            }
        }

        foreach (var (viewer, visible) in p.Visibility)
        {
            var path = $"$.protocol.visibility.{viewer}";
            RequireRole(viewer, roles, path, error);
            if (visible is null)
            {
                error(path, "must be a list of role names");
                continue;
            }

            for (var i = 0; i < visible.Count; i++)
            {
                RequireRole(visible[i], roles, $"{path}[{i}]", error);
            }
        }
    }

    private static void ValidateTasks(TaskSourceDefinition? tasks, Action<string, string> error)
    {
        switch (tasks)
        {
            case null:
                error("$.tasks", "a game needs a task source");
                break;
            case ArithmeticTaskSource a:
                if (a.Min > a.Max)
                {
                    error("$.tasks.min", $"min ({a.Min}) must not exceed max ({a.Max})");
                }

                if (Math.Abs((long)a.Min) > MaxArithmeticOperand || Math.Abs((long)a.Max) > MaxArithmeticOperand)
                {
                    error("$.tasks.max", $"operands must lie within ±{MaxArithmeticOperand}");
                }

                if (a.Terms < 2 || a.Terms > 8)
                {
                    error("$.tasks.terms", "terms must be between 2 and 8");
                }

                if (a.Operators.Count == 0)
                {
                    error("$.tasks.operators", "at least one operator is needed");
                }

                for (var i = 0; i < a.Operators.Count; i++)
                {
                    if (!ArithmeticOperators.Contains(a.Operators[i]))
                    {
                        error($"$.tasks.operators[{i}]", $"unknown operator '{a.Operators[i]}'; allowed: + - *");
                    }
                }

                if (a.Prompt is null || !a.Prompt.Contains("{{expression}}", StringComparison.Ordinal))
                {
                    error("$.tasks.prompt", "the prompt must contain {{expression}}");
                }

                break;
            case ListTaskSource l:
                ValidateList(l, error);
                break;
            case WordProblemTaskSource w:
                ValidateWordProblems(w, error);
                break;
            case StringTransformTaskSource t:
                ValidateStringTransforms(t, error);
                break;
            case PythonFunctionTaskSource p:
                ValidatePythonFunctions(p, error);
                break;
        }
    }

    private static void ValidatePythonFunctions(PythonFunctionTaskSource p, Action<string, string> error)
    {
        if (p.Tests < 1 || p.Tests > PythonFunctionTaskGenerator.MaxTests)
        {
            error("$.tasks.tests", $"tests must be between 1 and {PythonFunctionTaskGenerator.MaxTests}");
        }

        for (var i = 0; i < p.Families.Count; i++)
        {
            if (!PythonFunctionFamilies.Names.Contains(p.Families[i]))
            {
                error($"$.tasks.families[{i}]", $"unknown family '{p.Families[i]}'; known: {string.Join(", ", PythonFunctionFamilies.Names)}");
            }
        }

        if (p.Prompt is null || !p.Prompt.Contains("{{spec}}", StringComparison.Ordinal))
        {
            error("$.tasks.prompt", "the prompt must contain {{spec}}");
        }
    }

    private static void ValidateList(ListTaskSource l, Action<string, string> error)
    {
        if (l.Items.Count == 0)
        {
            error("$.tasks.items", "a list task source needs at least one item");
        }
        else if (l.Items.Count > MaxListItems)
        {
            error("$.tasks.items", $"at most {MaxListItems} items are allowed (got {l.Items.Count})");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < l.Items.Count; i++)
        {
            var item = l.Items[i];
            var path = $"$.tasks.items[{i}]";
            if (item is null)
            {
                error(path, "null is not allowed in a list");
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Prompt))
            {
                error($"{path}.prompt", "an item needs a non-empty prompt");
            }

            if (item.Id is not null && !ids.Add(item.Id))
            {
                error($"{path}.id", $"duplicate item id '{item.Id}'");
            }

            foreach (var (key, value) in item.Fields)
            {
                if (value is null)
                {
                    error($"{path}.fields.{key}", "field values must be strings");
                }
            }
        }
    }

    private static void ValidateScoring(IReadOnlyList<ScorerDefinition> scoring, HashSet<string> roles, Action<string, string> error)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scoring.Count; i++)
        {
            var s = scoring[i];
            var path = $"$.scoring[{i}]";
            if (s is null)
            {
                error(path, "null is not allowed in a list");
                continue;
            }

            var name = ScorerFactory.ScorerName(s);
            if (!names.Add(name))
            {
                error($"{path}.name", $"duplicate scorer name '{name}'; give each scorer of one kind a distinct name");
            }

            if (s.Role is not null)
            {
                RequireRole(s.Role, roles, $"{path}.role", error);
            }

            if (s.Extract is not null && SafeRegex.CompileError(s.Extract) is { } extractError)
            {
                error($"{path}.extract", $"invalid regex: {extractError}");
            }

            switch (s)
            {
                case RegexScorerDefinition r when string.IsNullOrEmpty(r.Pattern):
                    error($"{path}.pattern", "a regex scorer needs a pattern");
                    break;
                case RegexScorerDefinition r when SafeRegex.CompileError(RegexScorer.RenderPatternForCheck(r.Pattern)) is { } why:
                    error($"{path}.pattern", $"invalid regex: {why}");
                    break;
                case NumericScorerDefinition n when !double.IsFinite(n.Tolerance) || n.Tolerance < 0:
                    error($"{path}.tolerance", "tolerance must be a finite number ≥ 0");
                    break;
                case JsonFieldScorerDefinition j when !JsonFieldScorer.IsValidPath(j.Path):
                    error($"{path}.path", "path must be dot-separated non-empty names, e.g. \"result.answer\"");
                    break;
                case JudgeScorerDefinition j:
                    ValidateJudge(j, roles, path, error);
                    break;
                case ImprovementScorerDefinition m:
                    ValidateImprovement(m, roles, path, error);
                    break;
                case CodeLearnabilityScorerDefinition c:
                    ValidateLearnability(c, path, roles, error);
                    break;
                case PythonTestsScorerDefinition py when string.IsNullOrWhiteSpace(py.Tests):
                    error($"{path}.tests", "python_tests needs its tests, e.g. \"{{task.tests}}\"");
                    break;
                case PythonTestsScorerDefinition py when string.IsNullOrWhiteSpace(py.EntryPoint):
                    error($"{path}.entryPoint", "python_tests needs the function to call, e.g. \"{{task.entry_point}}\"");
                    break;
                case PythonTestsScorerDefinition py when !double.IsFinite(py.TimeoutSecondsPerTest) || py.TimeoutSecondsPerTest <= 0 || py.TimeoutSecondsPerTest > 60:
                    error($"{path}.timeoutSecondsPerTest", "timeoutSecondsPerTest must be in (0, 60]");
                    break;
            }
        }
    }

    private static void ValidateLearnability(CodeLearnabilityScorerDefinition c, string path, HashSet<string> roles, Action<string, string> error)
    {
        if (c.Role is null)
        {
            error($"{path}.role", "code_learnability needs the examiner role, whose turn holds the reference and tests");
        }

        if (c.Extract is not null || c.Opponents != OpponentScoring.None)
        {
            error($"{path}.extract", "code_learnability scores proposers and solvers itself; extract and opponents are not used");
        }

        if (c.ProposerRoles.Count == 0)
        {
            error($"{path}.proposerRoles", "at least one proposer role is needed");
        }

        if (c.SolverRoles.Count == 0)
        {
            error($"{path}.solverRoles", "at least one solver role is needed (two or more make the learnability reward meaningful)");
        }

        for (var i = 0; i < c.ProposerRoles.Count; i++)
        {
            RequireRole(c.ProposerRoles[i], roles, $"{path}.proposerRoles[{i}]", error);
        }

        for (var i = 0; i < c.SolverRoles.Count; i++)
        {
            RequireRole(c.SolverRoles[i], roles, $"{path}.solverRoles[{i}]", error);
        }

        if (c.MinTests < 1 || c.MaxTests < c.MinTests || c.MaxTests > PythonFunctionTaskGenerator.MaxTests)
        {
            error($"{path}.maxTests", $"need 1 ≤ minTests ≤ maxTests ≤ {PythonFunctionTaskGenerator.MaxTests}");
        }
    }

    private static void RequireRole(string? name, HashSet<string> roles, string path, Action<string, string> error)
    {
        if (name is null || !roles.Contains(name))
        {
            error(path, $"unknown role '{name}'; roles: {string.Join(", ", roles)}");
        }
    }
}
