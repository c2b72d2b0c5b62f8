// Word problems: deterministic in (index, seed), and every answer agrees with an independent reading of the
// problem text (so the story the solver sees and the answer it is scored against cannot drift apart).
using System.Globalization;
using System.Text.RegularExpressions;
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Tasks;

public sealed partial class WordProblemGeneratorTests
{
    private static readonly WordProblemTaskSource Five = new() { Steps = 5, MaxQuantity = 30 };

    [Fact]
    public void Same_index_and_seed_give_the_same_problem()
    {
        var a = new WordProblemGenerator(Five);
        var b = new WordProblemGenerator(Five);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(a.Draw(i, 3).Prompt, b.Draw(i, 3).Prompt);
            Assert.Equal(a.Draw(i, 3).Answer, b.Draw(i, 3).Answer);
        }
    }

    [Fact]
    public void Answers_agree_with_an_independent_reading_of_the_text_and_never_go_negative()
    {
        var g = new WordProblemGenerator(Five);

        for (var i = 0; i < 1000; i++)
        {
            var task = g.Draw(i, 11);
            Assert.Equal(Read(task.Fields["problem"], out var steps).ToString(CultureInfo.InvariantCulture), task.Answer);
            Assert.Equal(5, steps);
            Assert.True(long.Parse(task.Answer!, CultureInfo.InvariantCulture) >= 0, task.Prompt);
        }
    }

    [Fact]
    public void Problems_vary_and_use_every_kind_of_step()
    {
        var g = new WordProblemGenerator(Five);
        var problems = Enumerable.Range(0, 200).Select(i => g.Draw(i, 5).Prompt).ToList();

        Assert.True(problems.Distinct().Count() > 190);
        Assert.Contains(problems, p => p.Contains(" more.", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("away.", StringComparison.Ordinal) || p.Contains("loses", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("doubles", StringComparison.Ordinal) || p.Contains("triples", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("equal piles", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_settings_are_refused_naming_the_setting()
    {
        var steps = Assert.Throws<ArgumentException>(() => new WordProblemGenerator(new WordProblemTaskSource { Steps = 0 }));
        var max = Assert.Throws<ArgumentException>(() => new WordProblemGenerator(new WordProblemTaskSource { MaxQuantity = 1 }));

        Assert.Contains("steps", steps.Message, StringComparison.Ordinal);
        Assert.Contains("maxQuantity", max.Message, StringComparison.Ordinal);
    }

    private static long Read(string problem, out int steps)
    {
        var sentences = problem.Split(". ", StringSplitOptions.None);
        var count = long.Parse(Start().Match(sentences[0]).Groups[1].Value, CultureInfo.InvariantCulture);
        steps = 0;
        foreach (var s in sentences.Skip(1).Where(s => !s.StartsWith("How many", StringComparison.Ordinal)))
        {
            steps++;
            var n = Number().Match(s) is { Success: true } m ? long.Parse(m.Value, CultureInfo.InvariantCulture) : 0;
            count = s switch
            {
                _ when s.Contains("more", StringComparison.Ordinal) => count + n,
                _ when s.Contains("away", StringComparison.Ordinal) || s.Contains("loses", StringComparison.Ordinal) => count - n,
                _ when s.Contains("doubles", StringComparison.Ordinal) => count * 2,
                _ when s.Contains("triples", StringComparison.Ordinal) => count * 3,
                _ when s.Contains("equal piles", StringComparison.Ordinal) => count / n,
                _ => throw new InvalidOperationException($"unreadable step: {s}"),
            };
        }

        return count;
    }

    [GeneratedRegex(@"has (\d+) ")]
    private static partial Regex Start();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();
}
