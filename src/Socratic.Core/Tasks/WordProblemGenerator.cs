// Multi-step word problems with a checkable integer answer: one person's stock of items changes step by step
// ("buys 7 more", "gives 3 away", "doubles", "splits them into 4 equal piles and keeps one"), and the question
// asks for the final count. Every step keeps the count a whole number ≥ 0, so the answer is exact.
// Deterministic in (index, seed); held-out tasks are never drawn for games (HeldOutPartition).
using System.Globalization;
using System.Text;
using Socratic.Core.Games;

namespace Socratic.Core.Tasks;

public sealed class WordProblemGenerator : ITaskSource
{
    public const int MaxSteps = 8;
    public const int MaxQuantityLimit = 10_000;

    private static readonly string[] Names = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kofi", "Lena", "Mei", "Nils", "Omar", "Priya"];
    private static readonly string[] Items = ["apples", "marbles", "stickers", "pencils", "coins", "cards", "shells", "books"];

    private readonly WordProblemTaskSource _definition;
    private readonly TaskPartition _partition;

    public WordProblemGenerator(WordProblemTaskSource definition, TaskPartition partition = TaskPartition.Training)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Steps is < 1 or > MaxSteps)
        {
            throw new ArgumentException($"steps must be between 1 and {MaxSteps}, not {definition.Steps}.", nameof(definition));
        }

        if (definition.MaxQuantity is < 2 or > MaxQuantityLimit)
        {
            throw new ArgumentException($"maxQuantity must be between 2 and {MaxQuantityLimit}, not {definition.MaxQuantity}.", nameof(definition));
        }

        _definition = definition;
        _partition = partition;
    }

    public GameTask Draw(long index, ulong seed) =>
        HeldOutPartition.Draw(seed, index, _partition, "word_problem", t => t.Fields["problem"],
            (ref SplitMix64 rng) => Generate(ref rng, index, seed));

    private GameTask Generate(ref SplitMix64 rng, long index, ulong seed)
    {
        var max = _definition.MaxQuantity;
        var name = Names[rng.NextBelow((ulong)Names.Length)];
        var items = Items[rng.NextBelow((ulong)Items.Length)];
        long count = rng.NextInRange(1, max);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{name} has {count} {items}.");
        for (var step = 0; step < _definition.Steps; step++)
        {
            text.Append(' ').Append(Step(ref rng, name, ref count, max));
        }

        text.Append(CultureInfo.InvariantCulture, $" How many {items} does {name} have now?");
        var problem = text.ToString();
        var answer = count.ToString(CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["problem"] = problem,
            ["steps"] = _definition.Steps.ToString(CultureInfo.InvariantCulture),
        };
        var id = string.Create(CultureInfo.InvariantCulture, $"word-problem-{seed:x16}-{index}");
        var prompt = PromptTemplate.Render(_definition.Prompt, new GameTask(id, "", answer) { Fields = fields }, fields);
        return new GameTask(id, prompt, answer) { Fields = fields };
    }

    // Only operations that keep the count whole and bounded are offered: subtraction needs something to take,
    // splitting needs a divisor, multiplying stays under 100 × max so numbers remain readable.
    private static string Step(ref SplitMix64 rng, string name, ref long count, int max)
    {
        var current = count;
        var divisors = Enumerable.Range(2, 4).Where(d => current > 0 && current % d == 0).ToArray();
        var options = new List<char> { '+' };
        if (count > 0)
        {
            options.Add('-');
        }

        if (count > 0 && count * 3 <= 100L * max)
        {
            options.Add('*');
        }

        if (divisors.Length > 0)
        {
            options.Add('/');
        }

        switch (options[(int)rng.NextBelow((ulong)options.Count)])
        {
            case '+':
                var add = rng.NextInRange(1, max);
                count += add;
                return rng.NextBelow(2) == 0 ? $"{name} buys {add} more." : $"A friend gives {name} {add} more.";
            case '-':
                var take = rng.NextInRange(1, count);
                count -= take;
                return rng.NextBelow(2) == 0 ? $"{name} gives {take} away." : $"{name} loses {take}.";
            case '*':
                var factor = rng.NextInRange(2, 3);
                count *= factor;
                return factor == 2 ? $"Then the number {name} has doubles." : $"Then the number {name} has triples.";
            default:
                var piles = divisors[rng.NextBelow((ulong)divisors.Length)];
                count /= piles;
                return $"{name} splits them into {piles} equal piles and keeps only one pile.";
        }
    }
}
