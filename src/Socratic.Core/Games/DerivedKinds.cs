// The "kind" discriminators of a polymorphic definition base (scorers, task sources), read from its
// [JsonDerivedType] attributes so error messages and factories never drift from the serializer's view.
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Socratic.Core.Games;

public static class DerivedKinds
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Cache = new();

    /// <summary>Kind name → concrete type, in declaration order of the attributes.</summary>
    public static IReadOnlyDictionary<string, Type> Map(Type baseType) =>
        Cache.GetOrAdd(baseType, static t =>
        {
            var map = new Dictionary<string, Type>(StringComparer.Ordinal);
            foreach (var a in t.GetCustomAttributes<JsonDerivedTypeAttribute>(inherit: false))
            {
                if (a.TypeDiscriminator is string kind)
                {
                    map[kind] = a.DerivedType;
                }
            }

            return map;
        });

    public static IReadOnlyList<string> Known<TBase>() => [.. Map(typeof(TBase)).Keys];

    /// <summary>The kind of a definition instance, e.g. "numeric" for a NumericScorerDefinition.</summary>
    public static string KindOf<TBase>(TBase definition)
        where TBase : class
    {
        var type = definition.GetType();
        foreach (var (kind, t) in Map(typeof(TBase)))
        {
            if (t == type)
            {
                return kind;
            }
        }

        throw new NotSupportedException($"{type.Name} is not a registered kind of {typeof(TBase).Name}.");
    }
}
