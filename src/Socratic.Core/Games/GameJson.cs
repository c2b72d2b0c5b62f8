// The one JSON format for game files (import/export, jsonb storage, `socratic play --game FILE`).
// Strict on read so an author's typo is an error with a path, not a silently ignored field: unknown fields,
// unknown "kind"s, wrong types, nulls for non-nullable members and duplicate keys all fail.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static class GameJson
{
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.CamelCase;

    /// <summary>The serializer options for game definitions (read-only; share them, e.g. for the jsonb column).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = Naming,
            DictionaryKeyPolicy = null, // visibility keys are role names: keep them as written
            AllowOutOfOrderMetadataProperties = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // files are read by people: keep "+" and "<" as written
            RespectNullableAnnotations = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 64,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ShapeContract } },
        };
        options.Converters.Add(new JsonStringEnumConverter(Naming));
        options.MakeReadOnly();
        return options;
    }

    // Two adjustments to the reflected contract, kept here so the definition records stay plain:
    // computed get-only members (e.g. GameDefinition.EffectiveTurnOrder) are not part of the file, and enum
    // members carrying their own [JsonConverter] still read and write camelCase like every other enum.
    private static void ShapeContract(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (p.Set is null && p.AttributeProvider is System.Reflection.PropertyInfo)
            {
                info.Properties.RemoveAt(i);
                continue;
            }

            var enumType = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (enumType.IsEnum && p.CustomConverter is not null)
            {
                p.CustomConverter = new JsonStringEnumConverter(Naming).CreateConverter(p.PropertyType, info.Options);
            }
        }
    }

    /// <summary>Parses a game file. Throws <see cref="GameDefinitionException"/> naming the JSON path on any
    /// syntax, kind, type or unknown-field error. Does not run semantic validation (see GameValidator.Load).</summary>
    public static GameDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // Checked on the raw tree first because the serializer's own messages for these are unhelpful
        // ("abstract types not supported", "discriminator not supported").
        var errors = new List<GameValidationError>();
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new GameDefinitionException(new GameValidationError("$", "a game file must be a JSON object"));
            }

            CheckStructure(document.RootElement, errors);
        }
        catch (JsonException e)
        {
            throw new GameDefinitionException(FromJsonException(e, "malformed JSON"), e);
        }

        if (errors.Count > 0)
        {
            throw new GameDefinitionException(errors);
        }

        try
        {
            return JsonSerializer.Deserialize<GameDefinition>(json, Options)
                ?? throw new GameDefinitionException(new GameValidationError("$", "a game file must be a JSON object"));
        }
        catch (JsonException e)
        {
            throw new GameDefinitionException(FromJsonException(e, "invalid value"), e);
        }
        catch (NotSupportedException e)
        {
            throw new GameDefinitionException(new GameValidationError("$", e.Message), e);
        }
    }

    public static string Serialize(GameDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonSerializer.Serialize(definition, Options);
    }

    private static void CheckStructure(JsonElement root, List<GameValidationError> errors)
    {
        if (root.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Object)
        {
            CheckKind<TaskSourceDefinition>(tasks, "$.tasks", "task source", errors);
        }

        if (root.TryGetProperty("environment", out var environment) && environment.ValueKind == JsonValueKind.Object)
        {
            CheckKind<Environments.EnvironmentDefinition>(environment, "$.environment", "environment", errors);
        }

        if (root.TryGetProperty("scoring", out var scoring) && scoring.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var s in scoring.EnumerateArray())
            {
                if (s.ValueKind == JsonValueKind.Object)
                {
                    CheckKind<ScorerDefinition>(s, $"$.scoring[{i}]", "scorer", errors);
                }

                i++;
            }
        }

        CheckNoNullElements(root, "$", errors);
    }

    private static void CheckKind<TBase>(JsonElement obj, string path, string what, List<GameValidationError> errors)
    {
        var known = DerivedKinds.Known<TBase>();
        var knownText = string.Join(", ", known);
        if (!obj.TryGetProperty("kind", out var kind) || kind.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{path}.kind", $"missing {what} kind; known: {knownText}"));
        }
        else if (kind.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.kind", $"{what} kind must be a string; known: {knownText}"));
        }
        else if (!known.Contains(kind.GetString()!))
        {
            errors.Add(new($"{path}.kind", $"unknown {what} kind '{kind.GetString()}'; known: {knownText}"));
        }
    }

    // Nullable annotations are not enforced on collection elements, so "roles": [null] would otherwise reach
    // the engine as a null role.
    private static void CheckNoNullElements(JsonElement element, string path, List<GameValidationError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var i = 0;
                foreach (var child in element.EnumerateArray())
                {
                    if (child.ValueKind == JsonValueKind.Null)
                    {
                        errors.Add(new($"{path}[{i}]", "null is not allowed in a list"));
                    }
                    else
                    {
                        CheckNoNullElements(child, $"{path}[{i}]", errors);
                    }

                    i++;
                }

                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    CheckNoNullElements(p.Value, $"{path}.{p.Name}", errors);
                }

                break;
        }
    }

    private static GameValidationError FromJsonException(JsonException e, string fallback)
    {
        var field = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var where = e.LineNumber is long line ? $" (line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1})" : "";
        var message = JsonErrorText.Rewrite(e.Message);
        if (string.IsNullOrWhiteSpace(message))
        {
            message = fallback;
        }

        return new GameValidationError(field, message + where);
    }
}
