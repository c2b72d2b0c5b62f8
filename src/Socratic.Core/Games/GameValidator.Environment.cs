// GameValidator, continued: games played in an environment. The environment owns turn order, stopping and
// what each role sees, so protocol settings that would contradict it are errors rather than silently ignored;
// every role needs a seat, seats need roles, and the environment's rules are the score.
using Socratic.Core.Environments;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static partial class GameValidator
{
    private static void ValidateEnvironment(GameDefinition game, HashSet<string> roles, Action<string, string> error)
    {
        var environmentScorers = game.Scoring.Select((s, i) => (s, i)).Where(x => x.s is EnvironmentScorerDefinition).ToList();
        var environment = game.Environment;
        if (environment is null)
        {
            foreach (var (_, i) in environmentScorers)
            {
                error($"$.scoring[{i}].kind", "an environment scorer needs the game to name an environment ($.environment)");
            }

            return;
        }

        var kind = DerivedKinds.KindOf<EnvironmentDefinition>(environment);
        if (environment.Retries is < 0 or > EnvironmentDefinition.MaxRetries)
        {
            error("$.environment.retries", $"retries must be between 0 and {EnvironmentDefinition.MaxRetries}");
        }

        var seated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, role) in environment.Seats())
        {
            RequireRole(role, roles, $"$.environment.{parameter}", error);
            if (role is not null && !seated.TryAdd(role, parameter))
            {
                error($"$.environment.{parameter}", $"role '{role}' already has seat '{seated[role]}'; each seat needs its own role");
            }
        }

        for (var i = 0; i < game.Roles.Count; i++)
        {
            if (game.Roles[i]?.Name is { } name && roles.Contains(name) && !seated.ContainsKey(name))
            {
                var seats = string.Join(", ", environment.Seats().Select(s => s.Parameter));
                error($"$.roles[{i}].name", $"role '{name}' has no seat in the {kind} environment (its seats: {seats})");
            }
        }

        environment.ValidateParameters(error);
        ValidateEnvironmentProtocol(game.Protocol, kind, error);

        if (environmentScorers.Count == 0)
        {
            error("$.scoring", "a game with an environment needs an environment scorer ({\"kind\": \"environment\"}): its rules are the grounded score");
        }

        foreach (var (scorer, i) in environmentScorers)
        {
            if (scorer.Role is not null)
            {
                error($"$.scoring[{i}].role", "the environment scores every role; leave role out");
            }

            if (scorer.Extract is not null)
            {
                error($"$.scoring[{i}].extract", "the environment reads moves itself; leave extract out");
            }

            if (scorer.Opponents != OpponentScoring.None)
            {
                error($"$.scoring[{i}].opponents", "the environment scores every role; leave opponents out");
            }
        }

        if (environment is TwentyQuestionsDefinition twenty)
        {
            ValidateSecretStaysSecret(game, twenty, error);
        }
    }

    private static void ValidateEnvironmentProtocol(ProtocolDefinition? p, string kind, Action<string, string> error)
    {
        if (p is null)
        {
            return;
        }

        if (p.TurnOrder.Count > 0)
        {
            error("$.protocol.turnOrder", $"the {kind} environment decides whose turn it is; leave turnOrder out");
        }

        if (p.MaxTurns != 0)
        {
            error("$.protocol.maxTurns", $"the {kind} environment ends the game by its rules; leave maxTurns at 0");
        }

        if (p.StopWhen.Count > 0)
        {
            error("$.protocol.stopWhen", $"the {kind} environment ends the game by its rules; leave stopWhen out");
        }

        if (p.Visibility.Count > 0)
        {
            error("$.protocol.visibility", $"the {kind} environment decides what each role sees; leave visibility out");
        }
    }

    // The secret is the task's answer: only the answerer may be shown it, and the shared opening and task
    // prompts (which every role sees) must not contain it.
    private static void ValidateSecretStaysSecret(GameDefinition game, TwentyQuestionsDefinition twenty, Action<string, string> error)
    {
        static bool Reveals(string? text) =>
            text is not null && (text.Contains("{{task.answer}}", StringComparison.Ordinal) || text.Contains("{{task.aliases}}", StringComparison.Ordinal));

        if (Reveals(game.Protocol?.Opening))
        {
            error("$.protocol.opening", "the opening is shown to every role and must not contain the secret ({{task.answer}})");
        }

        for (var i = 0; i < game.Roles.Count; i++)
        {
            if (game.Roles[i] is { } role && role.Name != twenty.Answerer && Reveals(role.Instructions))
            {
                error($"$.roles[{i}].instructions", $"only the answerer may see the secret; '{role.Name}' must not use {{{{task.answer}}}}");
            }
        }

        if (game.Tasks is ListTaskSource list)
        {
            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                if (item is null)
                {
                    continue;
                }

                if (string.IsNullOrWhiteSpace(item.Answer))
                {
                    error($"$.tasks.items[{i}].answer", "Twenty Questions needs each item's answer: it is the secret word");
                }
                else if (item.Prompt?.Contains(item.Answer.Trim(), StringComparison.OrdinalIgnoreCase) == true)
                {
                    error($"$.tasks.items[{i}].prompt", $"the prompt is shown to the guesser and gives away the secret '{item.Answer.Trim()}'");
                }
            }
        }
    }
}
