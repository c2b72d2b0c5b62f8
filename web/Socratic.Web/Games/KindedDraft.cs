// The designer's editable form of a polymorphic part of a game (a task source or a scorer): its "kind" and the
// text of each parameter. The parameters are read from the kind's record by reflection, so a scorer or task
// source kind added later (judge, python, …) gets a form without touching the designer. Text is turned back into
// typed JSON here; a value that is not a number where one is needed is an error at its JSON path, never dropped.
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socratic.Core.Games;

namespace Socratic.Web.Games;

public enum FieldShape
{
    Text,
    LongText,
    Number,
    Integer,
    Bool,
    Choice,
    List,
    Json,
}

/// <param name="Name">The JSON property name (camelCase).</param>
/// <param name="Optional">Empty text means "leave it out" (the property is nullable).</param>
public sealed record KindField(string Name, FieldShape Shape, bool Optional, IReadOnlyList<string> Choices);

public sealed class KindedDraft
{
    private static readonly NullabilityInfoContext Nullability = new();

    public KindedDraft(Type baseType, string kind)
    {
        BaseType = baseType;
        Kind = kind;
        Values = Defaults(baseType, kind);
    }

    public Type BaseType { get; }

    public string Kind { get; private set; }

    /// <summary>JSON property name → the text in its input.</summary>
    public Dictionary<string, string> Values { get; private set; }

    public IReadOnlyList<string> KnownKinds => [.. DerivedKinds.Map(BaseType).Keys];

    public IReadOnlyList<KindField> Fields => FieldsOf(BaseType, Kind);

    /// <summary>Switches kind; parameters the new kind shares with the old one keep their text.</summary>
    public void ChangeKind(string kind)
    {
        var kept = Values;
        Kind = kind;
        Values = Defaults(BaseType, kind);
        foreach (var f in Fields.Where(f => kept.ContainsKey(f.Name)))
        {
            Values[f.Name] = kept[f.Name];
        }
    }

    public string Get(string name) => Values.TryGetValue(name, out var v) ? v : "";

    public void Set(string name, string value) => Values[name] = value;

    /// <summary>The draft of an existing definition, e.g. a stored game's scorer.</summary>
    public static KindedDraft From<TBase>(TBase definition)
        where TBase : class
    {
        var kind = DerivedKinds.KindOf(definition);
        var draft = new KindedDraft(typeof(TBase), kind);
        var json = JsonSerializer.SerializeToNode<TBase>(definition, GameJson.Options)!.AsObject();
        foreach (var f in draft.Fields)
        {
            draft.Values[f.Name] = json.TryGetPropertyValue(f.Name, out var node) ? ToText(node, f.Shape) : "";
        }

        return draft;
    }

    /// <summary>The JSON object for this part; errors (path, message) for values that cannot be typed.</summary>
    public JsonObject ToJson(string path, Action<string, string> error)
    {
        var obj = new JsonObject { ["kind"] = Kind };
        foreach (var f in Fields)
        {
            var text = Get(f.Name);
            var trimmed = text.Trim();
            if (f.Shape is not (FieldShape.Text or FieldShape.LongText) && trimmed.Length == 0)
            {
                continue; // the kind's default applies
            }

            if (f.Shape is FieldShape.Text or FieldShape.LongText && text.Length == 0 && f.Optional)
            {
                continue;
            }

            var at = $"{path}.{f.Name}";
            switch (f.Shape)
            {
                case FieldShape.Number when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                    obj[f.Name] = d;
                    break;
                case FieldShape.Integer when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                    obj[f.Name] = l;
                    break;
                case FieldShape.Number or FieldShape.Integer:
                    error(at, $"'{trimmed}' is not {(f.Shape == FieldShape.Integer ? "a whole number" : "a number")}");
                    break;
                case FieldShape.Bool:
                    obj[f.Name] = trimmed.Equals("true", StringComparison.OrdinalIgnoreCase);
                    break;
                case FieldShape.List:
                    obj[f.Name] = new JsonArray([.. trimmed.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => (JsonNode?)x)]);
                    break;
                case FieldShape.Json:
                    try
                    {
                        obj[f.Name] = JsonNode.Parse(trimmed);
                    }
                    catch (JsonException e)
                    {
                        error(at, "invalid JSON: " + e.Message);
                    }

                    break;
                default:
                    obj[f.Name] = text;
                    break;
            }
        }

        return obj;
    }

    private static Dictionary<string, string> Defaults(Type baseType, string kind)
    {
        var type = DerivedKinds.Map(baseType)[kind];
        var json = JsonSerializer.SerializeToNode(Activator.CreateInstance(type), type, GameJson.Options)!.AsObject();
        return FieldsOf(baseType, kind).ToDictionary(f => f.Name, f => json.TryGetPropertyValue(f.Name, out var n) ? ToText(n, f.Shape) : "");
    }

    private static IReadOnlyList<KindField> FieldsOf(Type baseType, string kind)
    {
        var type = DerivedKinds.Map(baseType)[kind];
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .OrderBy(p => p.DeclaringType == type ? 1 : 0) // shared parameters (name, role, …) first
            .Select(p => new KindField(
                JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                ShapeOf(p),
                Nullability.Create(p).ReadState == NullabilityState.Nullable,
                ChoicesOf(p)))];
    }

    private static IReadOnlyList<string> ChoicesOf(PropertyInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        return t.IsEnum ? [.. Enum.GetNames(t).Select(JsonNamingPolicy.CamelCase.ConvertName)] : [];
    }

    private static FieldShape ShapeOf(PropertyInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        return t switch
        {
            _ when t == typeof(string) => p.Name is "Prompt" or "Instructions" ? FieldShape.LongText : FieldShape.Text,
            _ when t == typeof(bool) => FieldShape.Bool,
            _ when t == typeof(int) || t == typeof(long) || t == typeof(uint) => FieldShape.Integer,
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => FieldShape.Number,
            { IsEnum: true } => FieldShape.Choice,
            _ when typeof(IEnumerable<string>).IsAssignableFrom(t) => FieldShape.List,
            _ => FieldShape.Json,
        };
    }

    private static string ToText(JsonNode? node, FieldShape shape) => node switch
    {
        null => "",
        JsonArray a when shape == FieldShape.List => string.Join(", ", a.Select(x => x?.GetValue<string>())),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => node.ToJsonString(GameJson.Options),
    };
}
