// String transformations with exact answers: a random lowercase string (always with at least one consonant,
// so no transformation leaves it empty) and a sequence of operations described in plain words. The answer is
// computed by the same operation table the instruction is written from, so the two cannot disagree.
// Deterministic in (index, seed); held-out tasks are never drawn for games (HeldOutPartition).
using System.Globalization;
using System.Text;
using Socratic.Core.Games;

namespace Socratic.Core.Tasks;

public sealed class StringTransformGenerator : ITaskSource
{
    public const int MaxSteps = 4;
    public const int MaxLengthLimit = 40;

    private const string Vowels = "aeiouAEIOU";
    private const string Consonants = "bcdfghjklmnpqrstvwxyz";

    /// <summary>Every operation: its name in game files, how the instruction says it, and what it does.</summary>
    public static readonly IReadOnlyDictionary<string, (string Phrase, Func<string, string> Apply)> Operations =
        new Dictionary<string, (string, Func<string, string>)>(StringComparer.Ordinal)
        {
            ["reverse"] = ("reverse it", s => new string([.. s.Reverse()])),
            ["uppercase"] = ("convert it to uppercase", s => s.ToUpperInvariant()),
            ["sort_letters"] = ("sort its letters alphabetically", s => new string([.. s.Order()])),
            ["remove_vowels"] = ("remove its vowels (a, e, i, o, u)", s => new string([.. s.Where(c => !Vowels.Contains(c, StringComparison.Ordinal))])),
            ["rotate_left"] = ("move its first letter to the end", s => s.Length < 2 ? s : s[1..] + s[0]),
            ["double_letters"] = ("write every letter twice", s => string.Concat(s.Select(c => new string(c, 2)))),
        };

    private readonly StringTransformTaskSource _definition;
    private readonly TaskPartition _partition;

    public StringTransformGenerator(StringTransformTaskSource definition, TaskPartition partition = TaskPartition.Training)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Operations.Count == 0 || definition.Operations.Any(o => !Operations.ContainsKey(o)))
        {
            throw new ArgumentException($"operations must be a non-empty subset of {string.Join(", ", Operations.Keys)}.", nameof(definition));
        }

        if (definition.Steps is < 1 or > MaxSteps)
        {
            throw new ArgumentException($"steps must be between 1 and {MaxSteps}, not {definition.Steps}.", nameof(definition));
        }

        if (definition.MinLength < 1 || definition.MinLength > definition.MaxLength || definition.MaxLength > MaxLengthLimit)
        {
            throw new ArgumentException($"lengths must satisfy 1 ≤ minLength ≤ maxLength ≤ {MaxLengthLimit}.", nameof(definition));
        }

        _definition = definition;
        _partition = partition;
    }

    public GameTask Draw(long index, ulong seed) =>
        HeldOutPartition.Draw(seed, index, _partition, "string_transform", t => $"{t.Fields["input"]}|{t.Fields["operations"]}",
            (ref SplitMix64 rng) => Generate(ref rng, index, seed));

    /// <summary>Applies the named operations in order.</summary>
    public static string Apply(string input, IEnumerable<string> operations) =>
        operations.Aggregate(input, (s, op) => Operations[op].Apply(s));

    private GameTask Generate(ref SplitMix64 rng, long index, ulong seed)
    {
        var d = _definition;
        var length = (int)rng.NextInRange(d.MinLength, d.MaxLength);
        var letters = new char[length];
        for (var i = 0; i < length; i++)
        {
            letters[i] = (char)('a' + rng.NextBelow(26));
        }

        letters[rng.NextBelow((ulong)length)] = Consonants[(int)rng.NextBelow((ulong)Consonants.Length)];
        var input = new string(letters);
        var ops = new string[d.Steps];
        for (var i = 0; i < ops.Length; i++)
        {
            ops[i] = d.Operations[(int)rng.NextBelow((ulong)d.Operations.Count)];
        }

        var answer = Apply(input, ops);
        var instruction = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Take the string \"{input}\" and ")
            .AppendJoin(", then ", ops.Select(o => Operations[o].Phrase))
            .Append('.')
            .ToString();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["input"] = input,
            ["operations"] = string.Join(",", ops),
            ["instruction"] = instruction,
        };
        var id = string.Create(CultureInfo.InvariantCulture, $"string-transform-{seed:x16}-{index}");
        var prompt = PromptTemplate.Render(d.Prompt, new GameTask(id, "", answer) { Fields = fields }, fields);
        return new GameTask(id, prompt, answer) { Fields = fields };
    }
}
