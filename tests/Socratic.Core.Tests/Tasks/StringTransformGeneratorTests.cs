// String transformations: each operation does what its instruction says (checked on fixed examples), and every
// generated answer equals an independent re-implementation applied to the generated input.
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Tasks;

public sealed class StringTransformGeneratorTests
{
    [Theory]
    [InlineData("reverse", "stone", "enots")]
    [InlineData("uppercase", "stone", "STONE")]
    [InlineData("sort_letters", "stone", "enost")]
    [InlineData("remove_vowels", "stone", "stn")]
    [InlineData("rotate_left", "stone", "tones")]
    [InlineData("double_letters", "abc", "aabbcc")]
    public void Each_operation_does_what_its_instruction_says(string operation, string input, string expected) =>
        Assert.Equal(expected, StringTransformGenerator.Apply(input, [operation]));

    [Fact]
    public void Operations_chain_in_the_order_the_instruction_gives() =>
        Assert.Equal("ENOTS", StringTransformGenerator.Apply("stone", ["reverse", "uppercase"]));

    [Fact]
    public void Generated_answers_match_an_independent_implementation()
    {
        var source = new StringTransformTaskSource { Operations = [.. StringTransformGenerator.Operations.Keys], Steps = 3, MinLength = 3, MaxLength = 12 };
        var g = new StringTransformGenerator(source);

        for (var i = 0; i < 1000; i++)
        {
            var task = g.Draw(i, 21);
            var input = task.Fields["input"];
            Assert.Matches("^[a-z]+$", input);
            Assert.InRange(input.Length, 3, 12);
            var expected = task.Fields["operations"].Split(',').Aggregate(input, Independent);
            Assert.Equal(expected, task.Answer);
            Assert.NotEqual("", task.Answer);
            Assert.Contains($"\"{input}\"", task.Prompt, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_operations_are_refused_with_the_allowed_list()
    {
        var e = Assert.Throws<ArgumentException>(() => new StringTransformGenerator(new StringTransformTaskSource { Operations = ["shout"] }));

        Assert.Contains("reverse", e.Message, StringComparison.Ordinal);
    }

    private static string Independent(string s, string op)
    {
        switch (op)
        {
            case "reverse":
                var chars = s.ToCharArray();
                Array.Reverse(chars);
                return new string(chars);
            case "uppercase":
                return s.ToUpperInvariant();
            case "sort_letters":
                var sorted = s.ToCharArray();
                Array.Sort(sorted);
                return new string(sorted);
            case "remove_vowels":
                return string.Concat(s.Where(c => "aeiouAEIOU".IndexOf(c, StringComparison.Ordinal) < 0));
            case "rotate_left":
                return s.Length < 2 ? s : string.Concat(s.AsSpan(1), s.AsSpan(0, 1));
            case "double_letters":
                return string.Concat(s.SelectMany(c => new[] { c, c }));
            default:
                throw new ArgumentException(op, nameof(op));
        }
    }
}
