// The designer's editable form of a whole game. It is only a form: Build() turns it into the game JSON and runs
// the same GameValidator.Load the API and the CLI run, so the designer, POST /api/games and `socratic play`
// accept and refuse exactly the same games, with the same JSON paths in their errors.
using System.Text.Json.Nodes;
using Socratic.Core.Games;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Web.Games;

public sealed class RoleDraft
{
    public string Name { get; set; } = "";

    public string Instructions { get; set; } = "";

    public string Policy { get; set; } = "self";

    public float Temperature { get; set; } = 0.7f;

    public float TopP { get; set; } = 0.95f;

    public int TopK { get; set; } = 40;

    public float RepeatPenalty { get; set; } = 1.0f;

    public int MaxTokens { get; set; } = 64;

    /// <summary>Stop strings, one a line (they may contain commas).</summary>
    public string Stop { get; set; } = "";

    /// <summary>False: this role sees every turn. True: only its own and those of <see cref="Sees"/>.</summary>
    public bool RestrictView { get; set; }

    public HashSet<string> Sees { get; set; } = [];
}

public sealed class StopDraft
{
    public StopKind Kind { get; set; } = StopKind.Contains;

    public string Pattern { get; set; } = "";

    /// <summary>Empty: any role's turn is checked.</summary>
    public string Role { get; set; } = "";
}

public sealed class GameDraft
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Comma-separated.</summary>
    public string Tags { get; set; } = "";

    public double Weight { get; set; } = 1.0;

    public List<RoleDraft> Roles { get; set; } = [];

    /// <summary>Role names, comma-separated; empty = the roles in the order listed.</summary>
    public string TurnOrder { get; set; } = "";

    public int MaxTurns { get; set; }

    public int MaxTokensPerTurn { get; set; } = 256;

    public string Opening { get; set; } = "{{task.prompt}}";

    public string OtherTurnFormat { get; set; } = "{{role}}: {{text}}";

    public List<StopDraft> StopWhen { get; set; } = [];

    public KindedDraft Tasks { get; set; } = new(typeof(TaskSourceDefinition), "arithmetic");

    public List<KindedDraft> Scoring { get; set; } = [];

    /// <summary>A small working game to start from: one solver, arithmetic tasks, a numeric scorer.</summary>
    public static GameDraft New() => new()
    {
        Name = "",
        Roles = [new RoleDraft { Name = "solver", Instructions = "Answer with the number only." }],
        Scoring = [new KindedDraft(typeof(ScorerDefinition), "numeric")],
    };

    public static GameDraft From(GameDefinition game) => new()
    {
        Name = game.Name,
        Description = game.Description,
        Tags = string.Join(", ", game.Tags),
        Weight = game.Weight,
        Roles = [.. game.Roles.Select(r => new RoleDraft
        {
            Name = r.Name,
            Instructions = r.Instructions,
            Policy = r.Policy,
            Temperature = r.Sampling.Temperature,
            TopP = r.Sampling.TopP,
            TopK = r.Sampling.TopK,
            RepeatPenalty = r.Sampling.RepeatPenalty,
            MaxTokens = r.Sampling.MaxTokens,
            Stop = string.Join("\n", r.Sampling.Stop),
            RestrictView = game.Protocol.Visibility.ContainsKey(r.Name),
            Sees = game.Protocol.Visibility.TryGetValue(r.Name, out var sees) ? [.. sees] : [],
        })],
        TurnOrder = string.Join(", ", game.Protocol.TurnOrder),
        MaxTurns = game.Protocol.MaxTurns,
        MaxTokensPerTurn = game.Protocol.MaxTokensPerTurn,
        Opening = game.Protocol.Opening,
        OtherTurnFormat = game.Protocol.OtherTurnFormat,
        StopWhen = [.. game.Protocol.StopWhen.Select(s => new StopDraft { Kind = s.Kind, Pattern = s.Pattern, Role = s.Role ?? "" })],
        Tasks = game.Tasks is null ? new KindedDraft(typeof(TaskSourceDefinition), "arithmetic") : KindedDraft.From(game.Tasks),
        Scoring = [.. game.Scoring.Select(KindedDraft.From)],
    };

    /// <summary>The game JSON, and either the validated definition or every error with its JSON path.</summary>
    public DraftResult Build()
    {
        var errors = new List<GameValidationError>();
        void Error(string field, string message) => errors.Add(new GameValidationError(field, message));

        var visibility = new JsonObject();
        foreach (var r in Roles.Where(r => r.RestrictView && r.Name.Length > 0))
        {
            visibility[r.Name] = new JsonArray([.. r.Sees.Where(s => s != r.Name).Order(StringComparer.Ordinal).Select(s => (JsonNode?)s)]);
        }

        var game = new JsonObject
        {
            ["schema"] = 1,
            ["name"] = Name,
            ["description"] = Description,
            ["tags"] = Strings(Tags.Split(',')),
            ["weight"] = Weight,
            ["roles"] = new JsonArray([.. Roles.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["instructions"] = r.Instructions,
                ["policy"] = r.Policy,
                ["sampling"] = new JsonObject
                {
                    ["temperature"] = r.Temperature,
                    ["topP"] = r.TopP,
                    ["topK"] = r.TopK,
                    ["repeatPenalty"] = r.RepeatPenalty,
                    ["maxTokens"] = r.MaxTokens,
                    ["stop"] = Strings(r.Stop.Split('\n'), trim: false),
                },
            })]),
            ["protocol"] = new JsonObject
            {
                ["turnOrder"] = Strings(TurnOrder.Split(',')),
                ["maxTurns"] = MaxTurns,
                ["maxTokensPerTurn"] = MaxTokensPerTurn,
                ["opening"] = Opening,
                ["stopWhen"] = new JsonArray([.. StopWhen.Select(s => (JsonNode?)StopJson(s))]),
                ["visibility"] = visibility,
                ["otherTurnFormat"] = OtherTurnFormat,
            },
            ["tasks"] = Tasks.ToJson("$.tasks", Error),
            ["scoring"] = new JsonArray([.. Scoring.Select((s, i) => (JsonNode?)s.ToJson($"$.scoring[{i}]", Error))]),
        };

        var json = game.ToJsonString(GameJson.Options);
        GameDefinition? definition = null;
        try
        {
            definition = GameValidator.Load(json);
        }
        catch (GameDefinitionException e)
        {
            errors.AddRange(e.Errors);
        }

        return errors.Count == 0 ? new DraftResult(json, definition, []) : new DraftResult(json, null, errors);
    }

    private static JsonObject StopJson(StopDraft s)
    {
        var o = new JsonObject { ["kind"] = s.Kind == StopKind.Regex ? "regex" : "contains", ["pattern"] = s.Pattern };
        if (s.Role.Trim().Length > 0)
        {
            o["role"] = s.Role.Trim();
        }

        return o;
    }

    // Stop strings keep their spaces (" The end" differs from "The end"); names and tags are trimmed.
    private static JsonArray Strings(IEnumerable<string> items, bool trim = true) =>
        new([.. items.Select(x => trim ? x.Trim() : x.TrimEnd('\r')).Where(x => x.Length > 0).Select(x => (JsonNode?)x)]);
}

public sealed record DraftResult(string Json, GameDefinition? Definition, IReadOnlyList<GameValidationError> Errors)
{
    public bool IsValid => Definition is not null;

    /// <summary>The reasons for the field at <paramref name="path"/> and anything inside it (e.g. "$.protocol.turnOrder" covers "[1]").</summary>
    public IEnumerable<string> At(string path) => Errors
        .Where(e => e.Field == path || e.Field.StartsWith(path + "[", StringComparison.Ordinal) || e.Field.StartsWith(path + ".", StringComparison.Ordinal))
        .Select(e => e.Message);

    public string? First(string path) => At(path).FirstOrDefault();
}
