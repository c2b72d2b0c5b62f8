// Turns System.Text.Json's developer-facing exception messages into text a game author can act on
// ("expected a number" rather than "could not be converted to System.Double"). Unrecognised messages pass
// through with the serializer's trailing position info removed (the error carries the path and line itself).
using System.Text.RegularExpressions;

namespace Socratic.Core.Games;

internal static partial class JsonErrorText
{
    [GeneratedRegex(@"^The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']*)'")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>[^\s]+?)\.(\s|$)")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"^The property or field '(?<name>[^']*)' on type '[^']*' doesn't allow setting null values")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex(@"^Duplicate property '(?<name>[^']*)'")]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"\s*(Path: .*)?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex Position();

    public static string Rewrite(string message)
    {
        if (Unmapped().Match(message) is { Success: true } u)
        {
            return $"unknown field '{u.Groups["name"].Value}' (not a field of {Owner(u.Groups["type"].Value)})";
        }

        if (Duplicate().Match(message) is { Success: true } d)
        {
            return $"duplicate field '{d.Groups["name"].Value}'";
        }

        if (NotConvertible().Match(message) is { Success: true } c)
        {
            return $"expected {Describe(c.Groups["type"].Value)}";
        }

        if (NullNotAllowed().Match(message) is { Success: true } n)
        {
            return $"'{n.Groups["name"].Value}' must not be null";
        }

        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return Position().Replace(message, "").TrimEnd();
    }

    /// <summary>"the 'numeric' scorer", "the 'list' task source", else the record's name ("role", "protocol").</summary>
    private static string Owner(string typeName)
    {
        var type = typeof(GameDefinition).Assembly.GetType(typeName);
        foreach (var (baseType, what) in new[] { (typeof(Scoring.ScorerDefinition), "scorer"), (typeof(Tasks.TaskSourceDefinition), "task source") })
        {
            if (type is not null && type.IsSubclassOf(baseType)
                && DerivedKinds.Map(baseType).FirstOrDefault(kv => kv.Value == type).Key is { } kind)
            {
                return $"the '{kind}' {what}";
            }
        }

        var name = ShortName(typeName);
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string ShortName(string typeName)
    {
        var name = typeName[(typeName.LastIndexOf('.') + 1)..];
        return name.EndsWith("Definition", StringComparison.Ordinal) ? name[..^"Definition".Length] : name;
    }

    private static string Describe(string typeName)
    {
        const string nullable = "System.Nullable`1[";
        if (typeName.StartsWith(nullable, StringComparison.Ordinal))
        {
            typeName = typeName[nullable.Length..].TrimStart('[').Split(',', ']')[0];
        }

        if (typeName.Contains('`', StringComparison.Ordinal))
        {
            return typeName.Contains("Dictionary", StringComparison.Ordinal) ? "an object" : "a list";
        }

        switch (typeName)
        {
            case "System.String": return "a string";
            case "System.Boolean": return "true or false";
            case "System.Int32" or "System.Int64" or "System.UInt32": return "an integer";
            case "System.Double" or "System.Single": return "a number";
        }

        var type = typeof(GameDefinition).Assembly.GetType(typeName);
        if (type is { IsEnum: true })
        {
            return "one of: " + string.Join(", ", Enum.GetNames(type).Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        }

        return type is not null && !type.IsValueType ? "an object" : $"a value of type {ShortName(typeName)}";
    }
}
