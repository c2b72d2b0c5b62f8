// The authored description of a language game: who plays (roles), how turns go (protocol), where tasks
// come from, and how an episode is scored. Stored as JSON (jsonb) per immutable game version; the same
// JSON is what users import/export and what `socratic play --game FILE` reads.
using System.Text.Json.Serialization;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public sealed record GameDefinition
{
    /// <summary>Schema version of this JSON format, so later readers can upgrade old games.</summary>
    public int Schema { get; init; } = 1;

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Default weight in the game mix; the live weight is kept on the game, outside the version.</summary>
    public double Weight { get; init; } = 1.0;

    public IReadOnlyList<RoleDefinition> Roles { get; init; } = [];

    public ProtocolDefinition Protocol { get; init; } = new();

    public TaskSourceDefinition? Tasks { get; init; }

    /// <summary>
    /// The rule engine the game is played in, if any (TicTacToe, Kuhn Poker, …). It then decides whose turn it is,
    /// what each role sees and when the game ends; the protocol's turn order, stops and visibility do not apply.
    /// </summary>
    public Environments.EnvironmentDefinition? Environment { get; init; }

    public IReadOnlyList<ScorerDefinition> Scoring { get; init; } = [];

    public RoleDefinition? FindRole(string name) =>
        Roles.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The order roles speak in: the protocol's, else the order roles are listed.</summary>
    public IReadOnlyList<string> EffectiveTurnOrder =>
        Protocol.TurnOrder is { Count: > 0 } order ? order : [.. Roles.Select(r => r.Name)];
}

public sealed record RoleDefinition
{
    public string Name { get; init; } = "";

    /// <summary>System prompt for this role. Placeholders: {{task.prompt}}, {{task.answer}}, {{task.FIELD}}, {{role}}.</summary>
    public string Instructions { get; init; } = "";

    /// <summary>
    /// Which policy plays this role: "self" (the run's policy), "opponent" (the run's opponent policy, e.g. a frozen
    /// earlier generation; falls back to self when the run has none).
    /// </summary>
    public string Policy { get; init; } = "self";

    public Policies.SamplingSettings Sampling { get; init; } = new();
}

public sealed record ProtocolDefinition
{
    /// <summary>Role names in speaking order; cycles until MaxTurns or a stop condition. Empty = roles as listed.</summary>
    public IReadOnlyList<string> TurnOrder { get; init; } = [];

    /// <summary>Total turns in an episode (all roles together). 0 = one pass through the turn order.</summary>
    public int MaxTurns { get; init; }

    /// <summary>Upper bound on any role's MaxTokens, whatever its sampling says.</summary>
    public int MaxTokensPerTurn { get; init; } = 256;

    /// <summary>The first message of the conversation, seen by every role as a user message.</summary>
    public string Opening { get; init; } = "{{task.prompt}}";

    /// <summary>Checked after each turn; the first that matches ends the episode.</summary>
    public IReadOnlyList<StopCondition> StopWhen { get; init; } = [];

    /// <summary>
    /// Which roles' turns each role sees (role name → visible role names). A role always sees its own turns.
    /// A role missing from the map sees everything.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Visibility { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>How another role's turn is shown to a role: placeholders {{role}} and {{text}}.</summary>
    public string OtherTurnFormat { get; init; } = "{{role}}: {{text}}";
}

public sealed record StopCondition
{
    [JsonConverter(typeof(JsonStringEnumConverter<StopKind>))]
    public StopKind Kind { get; init; } = StopKind.Contains;

    public string Pattern { get; init; } = "";

    /// <summary>Only turns of this role are checked; null = any role.</summary>
    public string? Role { get; init; }
}

public enum StopKind
{
    Contains,
    Regex,
}
