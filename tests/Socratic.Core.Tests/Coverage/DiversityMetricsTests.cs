// The diversity measures move the right way on texts whose diversity is known, and the alarms fire on collapse
// and drift but not on healthy or too-small samples.
using Socratic.Core.Coverage;

namespace Socratic.Core.Tests.Coverage;

public class DiversityMetricsTests
{
    // Forty sentences of twelve words drawn at random from a 300-word vocabulary: little shared phrasing.
    private static readonly string[] Varied = RandomSentences(40, 12, 300);
    private static readonly string[] Repetitive = [.. Enumerable.Repeat("the answer is 5. the answer is 5.", 40)];

    private static string[] RandomSentences(int count, int words, int vocabulary)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, words).Select(_ => $"w{random.Next(vocabulary)}")))];
    }

    [Fact]
    public void Distinct_n_counts_unique_n_grams_over_all_n_grams()
    {
        var tokens = new[] { TextTokens.Of("a b a b"), TextTokens.Of("a c") };

        Assert.Equal(3.0 / 6, DiversityMetrics.DistinctN(tokens, 1), 10);
        Assert.Equal(3.0 / 4, DiversityMetrics.DistinctN(tokens, 2), 10); // ab, ba, ab, ac
    }

    [Fact]
    public void Repetitive_texts_score_lower_distinct_and_higher_self_bleu_and_compression()
    {
        var varied = CoverageMetrics.Measure(Varied, []);
        var repetitive = CoverageMetrics.Measure(Repetitive, []);

        Assert.True(varied.Distinct2 > 3 * repetitive.Distinct2, $"{varied.Distinct2} vs {repetitive.Distinct2}");
        Assert.True(repetitive.SelfBleu > 0.99, repetitive.SelfBleu.ToString());
        Assert.True(varied.SelfBleu < 0.6, varied.SelfBleu.ToString());
        Assert.True(repetitive.CompressionRatio > 2 * varied.CompressionRatio, $"{repetitive.CompressionRatio} vs {varied.CompressionRatio}");
    }

    [Fact]
    public void Bleu_of_a_text_against_itself_is_one_and_against_unrelated_text_is_near_zero()
    {
        var text = TextTokens.Of("seven plus five is twelve, so the answer is 12");

        Assert.Equal(1.0, DiversityMetrics.Bleu(text, [text]), 10);
        Assert.True(DiversityMetrics.Bleu(text, [TextTokens.Of("once upon a time there was a cat")]) < 0.05);
    }

    [Fact]
    public void Novelty_is_the_share_of_n_grams_unseen_in_earlier_generations()
    {
        var now = new[] { TextTokens.Of("a b c d") }; // trigrams: abc, bcd
        var earlier = new[] { TextTokens.Of("x a b c") }; // xab, abc

        Assert.Equal(0.5, DiversityMetrics.Novelty(now, earlier), 10);
        Assert.Equal(1.0, DiversityMetrics.Novelty(now, []), 10);
    }

    [Fact]
    public void Embedding_dispersion_is_zero_for_identical_directions_and_grows_with_spread()
    {
        var same = new[] { new[] { 1f, 0f }, new[] { 2f, 0f }, new[] { 3f, 0f } };
        var spread = new[] { new[] { 1f, 0f }, new[] { 0f, 1f }, new[] { -1f, 0.1f } };

        Assert.Equal(0, DiversityMetrics.EmbeddingDispersion(same), 6);
        Assert.True(DiversityMetrics.EmbeddingDispersion(spread) > 0.3);
    }

    [Fact]
    public void Length_statistics_are_in_tokens_with_median_and_p90()
    {
        var stats = DiversityMetrics.Lengths([.. Enumerable.Range(1, 10).Select(n => Enumerable.Repeat("w", n).ToArray())]);

        Assert.Equal(5.5, stats.Mean, 10);
        Assert.Equal(5.5, stats.Median, 10);
        Assert.Equal(9.1, stats.P90, 10);
    }

    [Fact]
    public void Collapse_alarms_fire_on_repetitive_text_and_not_on_varied_text()
    {
        var thresholds = new CoverageThresholds();

        var alarms = CoverageAlarms.Evaluate(CoverageMetrics.Measure(Repetitive, []), null, thresholds);

        Assert.Contains(alarms, a => a is { Kind: "collapse", Metric: "distinct2" });
        Assert.Contains(alarms, a => a is { Kind: "collapse", Metric: "selfBleu" });
        Assert.Empty(CoverageAlarms.Evaluate(CoverageMetrics.Measure(Varied, []), null, thresholds));
    }

    [Fact]
    public void A_sharp_fall_against_the_previous_generation_and_a_length_jump_raise_alarms()
    {
        var previous = CoverageMetrics.Measure(Varied, []);
        var longer = CoverageMetrics.Measure([.. Varied.Select(t => t + " " + t + " " + t)], Varied);

        var alarms = CoverageAlarms.Evaluate(longer, previous, new CoverageThresholds { MinDistinct2 = 0 });

        Assert.Contains(alarms, a => a is { Kind: "drift", Metric: "meanLength" });
        Assert.Contains(alarms, a => a is { Kind: "collapse", Metric: "distinct2Drop" });
    }

    [Fact]
    public void Too_few_texts_raise_no_alarm()
    {
        Assert.Empty(CoverageAlarms.Evaluate(CoverageMetrics.Measure(Repetitive[..3], []), null, new CoverageThresholds()));
    }
}
