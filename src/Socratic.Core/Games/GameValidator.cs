// Semantic checks on a parsed game: everything the JSON shape cannot say (names resolve, ranges are sane,
// regexes compile). Returns every error with its JSON path so an editor can show them all at once.
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static partial class GameValidator
{
    public const int MaxTurnsLimit = 64;
    public const int MaxTokensLimit = 4096;
    public const int MaxListItems = 100_000;

    /// <summary>Operand magnitude bound for arithmetic tasks, so prompts stay readable.</summary>
    public const long MaxArithmeticOperand = 1_000_000_000;

    public static readonly IReadOnlyList<string> Policies = ["self", "opponent"];
    public static readonly IReadOnlyList<string> ArithmeticOperators = ["+", "-", "*"];

    /// <summary>Parses and validates; throws <see cref="GameDefinitionException"/> carrying all errors.</summary>
    public static GameDefinition Load(string json)
    {
        var game = GameJson.Parse(json);
        ThrowIfInvalid(game);
        return game;
    }

    public static void ThrowIfInvalid(GameDefinition game)
    {
        var errors = Validate(game);
        if (errors.Count > 0)
        {
            throw new GameDefinitionException(errors);
        }
    }

    public static IReadOnlyList<GameValidationError> Validate(GameDefinition game)
    {
        ArgumentNullException.ThrowIfNull(game);
        var errors = new List<GameValidationError>();
        void Error(string field, string message) => errors.Add(new GameValidationError(field, message));

        if (game.Schema != 1)
        {
            Error("$.schema", $"unsupported schema version {game.Schema}; this reader understands 1");
        }

        if (string.IsNullOrWhiteSpace(game.Name))
        {
            Error("$.name", "a game needs a name");
        }

        if (!double.IsFinite(game.Weight) || game.Weight < 0)
        {
            Error("$.weight", "weight must be a finite number ≥ 0");
        }

        var roleNames = ValidateRoles(game, Error);
        ValidateProtocol(game.Protocol, roleNames, Error);
        ValidateTasks(game.Tasks, Error);
        ValidateScoring(game.Scoring, roleNames, Error);
        ValidateEnvironment(game, roleNames, Error);
        return errors;
    }

    private static HashSet<string> ValidateRoles(GameDefinition game, Action<string, string> error)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (game.Roles.Count == 0)
        {
            error("$.roles", "a game needs at least one role");
        }

        for (var i = 0; i < game.Roles.Count; i++)
        {
            var role = game.Roles[i];
            var path = $"$.roles[{i}]";
            if (role is null)
            {
                error(path, "null is not allowed in a list");
                continue;
            }

            if (string.IsNullOrWhiteSpace(role.Name))
            {
                error($"{path}.name", "a role needs a name");
            }
            else if (role.Name.Trim() != role.Name)
            {
                error($"{path}.name", $"role name '{role.Name}' has leading or trailing whitespace");
            }
            else if (!names.Add(role.Name))
            {
                error($"{path}.name", $"duplicate role name '{role.Name}'");
            }

            if (!Policies.Contains(role.Policy))
            {
                error($"{path}.policy", $"unknown policy '{role.Policy}'; known: {string.Join(", ", Policies)}");
            }

            ValidateSampling(role.Sampling, $"{path}.sampling", error);
        }

        return names;
    }

    private static void ValidateSampling(SamplingSettings? s, string path, Action<string, string> error)
    {
        if (s is null)
        {
            error(path, "must not be null");
            return;
        }

        if (!float.IsFinite(s.Temperature) || s.Temperature < 0 || s.Temperature > 5)
        {
            error($"{path}.temperature", "temperature must be between 0 and 5");
        }

        if (!float.IsFinite(s.TopP) || s.TopP <= 0 || s.TopP > 1)
        {
            error($"{path}.topP", "topP must be in (0, 1]");
        }

        if (s.TopK < 0)
        {
            error($"{path}.topK", "topK must be ≥ 0 (0 disables it)");
        }

        if (!float.IsFinite(s.RepeatPenalty) || s.RepeatPenalty <= 0)
        {
            error($"{path}.repeatPenalty", "repeatPenalty must be a finite number > 0");
        }

        if (s.MaxTokens < 1 || s.MaxTokens > MaxTokensLimit)
        {
            error($"{path}.maxTokens", $"maxTokens must be between 1 and {MaxTokensLimit}");
        }

        for (var i = 0; i < s.Stop.Count; i++)
        {
            if (string.IsNullOrEmpty(s.Stop[i]))
            {
                error($"{path}.stop[{i}]", "stop strings must not be empty");
            }
        }
    }
}
