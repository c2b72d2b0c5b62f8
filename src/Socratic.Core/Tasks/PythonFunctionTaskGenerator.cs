// Draws a Python function synthesis task for (index, seed): the family, its parameters and the test inputs all
// come from one SplitMix64 stream, so episode k of a run always gets the same task. The first case is shown in
// the prompt as an example; the rest are the hidden tests the python_tests scorer runs.
using System.Globalization;
using System.Text.Json.Nodes;
using Socratic.Core.Games;

namespace Socratic.Core.Tasks;

public sealed class PythonFunctionTaskGenerator : ITaskSource
{
    public const int MaxTests = 50;

    private readonly PythonFunctionTaskSource _definition;
    private readonly IReadOnlyList<string> _families;

    public PythonFunctionTaskGenerator(PythonFunctionTaskSource definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Tests is < 1 or > MaxTests)
        {
            throw new ArgumentException($"tests must be between 1 and {MaxTests}, not {definition.Tests}.", nameof(definition));
        }

        if (definition.Families.FirstOrDefault(f => !PythonFunctionFamilies.Names.Contains(f)) is { } unknown)
        {
            throw new ArgumentException($"unknown family '{unknown}'; known: {string.Join(", ", PythonFunctionFamilies.Names)}.", nameof(definition));
        }

        _definition = definition;
        _families = definition.Families.Count > 0 ? definition.Families : PythonFunctionFamilies.Names;
    }

    public GameTask Draw(long index, ulong seed)
    {
        var rng = SplitMix64.ForStream(seed, (ulong)index);
        var family = _families[(int)rng.NextBelow((ulong)_families.Count)];
        var fn = PythonFunctionFamilies.Make(family, ref rng, _definition.Tests);
        var (exampleArgs, exampleValue) = fn.Cases[0];
        var call = $"{fn.EntryPoint}({string.Join(", ", exampleArgs.Select(a => a!.ToJsonString()))})";
        var spec = $"{fn.Description}\nExample: {call} == {exampleValue.ToJsonString()}";
        var tests = new JsonArray([.. fn.Cases.Skip(1).Select(c => (JsonNode)new JsonObject { ["args"] = c.Args, ["expected"] = c.Expected })]);

        var id = string.Create(CultureInfo.InvariantCulture, $"pyfn-{family}-{seed:x16}-{index}");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["family"] = family,
            ["entry_point"] = fn.EntryPoint,
            ["spec"] = spec,
            ["tests"] = tests.ToJsonString(),
        };
        var prompt = PromptTemplate.Render(_definition.Prompt, new GameTask(id, "", fn.Reference) { Fields = fields },
            new Dictionary<string, string>(StringComparer.Ordinal) { ["spec"] = spec });
        return new GameTask(id, prompt, fn.Reference) { Fields = fields };
    }
}
