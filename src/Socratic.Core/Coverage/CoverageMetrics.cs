// One coverage measurement (a generation, or one game in it) and the thresholds that turn it into alarms.
// Collapse = the texts got repetitive (distinct-2 low, self-BLEU or compression high, or a sharp drop of
// distinct-2 against the previous generation); drift = lengths moved far from the previous generation's.
// The defaults are deliberately loose: an alarm is evidence for the meta-critic, not an automatic stop.
namespace Socratic.Core.Coverage;

public sealed record CoverageMetrics
{
    public int Texts { get; init; }

    public double Distinct1 { get; init; }

    public double Distinct2 { get; init; }

    public double SelfBleu { get; init; }

    public double CompressionRatio { get; init; }

    /// <summary>Share of trigrams not seen in earlier generations (1 when there are none).</summary>
    public double Novelty { get; init; }

    /// <summary>Null when no embedder was available.</summary>
    public double? EmbeddingDispersion { get; init; }

    public LengthStats Length { get; init; } = new(0, 0, 0, 0);

    public static CoverageMetrics Measure(IReadOnlyList<string> texts, IReadOnlyList<string> earlier, IReadOnlyList<float[]>? embeddings = null, int seed = 0)
    {
        var tokens = texts.Select(TextTokens.Of).ToList();
        return new CoverageMetrics
        {
            Texts = texts.Count,
            Distinct1 = DiversityMetrics.DistinctN(tokens, 1),
            Distinct2 = DiversityMetrics.DistinctN(tokens, 2),
            SelfBleu = DiversityMetrics.SelfBleu(tokens, seed: seed),
            CompressionRatio = DiversityMetrics.CompressionRatio(texts),
            Novelty = DiversityMetrics.Novelty(tokens, [.. earlier.Select(TextTokens.Of)]),
            EmbeddingDispersion = embeddings is { Count: > 1 } ? DiversityMetrics.EmbeddingDispersion(embeddings) : null,
            Length = DiversityMetrics.Lengths(tokens),
        };
    }
}

public sealed record CoverageThresholds
{
    public double MinDistinct2 { get; init; } = 0.15;

    public double MaxSelfBleu { get; init; } = 0.8;

    public double MaxCompressionRatio { get; init; } = 8;

    /// <summary>Relative fall of distinct-2 against the previous generation that counts as collapse.</summary>
    public double MaxDistinct2Drop { get; init; } = 0.3;

    /// <summary>Factor by which mean length may grow or shrink against the previous generation before drift is raised.</summary>
    public double MaxLengthRatio { get; init; } = 2;

    /// <summary>Fewer texts than this raise no alarm: the numbers are noise.</summary>
    public int MinTexts { get; init; } = 8;

    /// <summary>Measure embedding dispersion with the generation's base model (one model pass per text) where the
    /// runtime can embed; false leaves it out.</summary>
    public bool Embeddings { get; init; } = true;
}

public sealed record CoverageAlarm(string Kind, string Metric, double Value, double Threshold, string Message);

public static class CoverageAlarms
{
    public static IReadOnlyList<CoverageAlarm> Evaluate(CoverageMetrics now, CoverageMetrics? previous, CoverageThresholds thresholds)
    {
        var alarms = new List<CoverageAlarm>();
        if (now.Texts < thresholds.MinTexts)
        {
            return alarms;
        }

        if (now.Distinct2 < thresholds.MinDistinct2)
        {
            alarms.Add(new("collapse", "distinct2", now.Distinct2, thresholds.MinDistinct2, $"distinct-2 {now.Distinct2:0.###} is below {thresholds.MinDistinct2}"));
        }

        if (now.SelfBleu > thresholds.MaxSelfBleu)
        {
            alarms.Add(new("collapse", "selfBleu", now.SelfBleu, thresholds.MaxSelfBleu, $"self-BLEU {now.SelfBleu:0.###} is above {thresholds.MaxSelfBleu}"));
        }

        if (now.CompressionRatio > thresholds.MaxCompressionRatio)
        {
            alarms.Add(new("collapse", "compressionRatio", now.CompressionRatio, thresholds.MaxCompressionRatio,
                $"the texts compress {now.CompressionRatio:0.#}× (above {thresholds.MaxCompressionRatio}×)"));
        }

        if (previous is { Texts: > 0 } && previous.Texts >= thresholds.MinTexts)
        {
            if (previous.Distinct2 > 0 && (previous.Distinct2 - now.Distinct2) / previous.Distinct2 > thresholds.MaxDistinct2Drop)
            {
                alarms.Add(new("collapse", "distinct2Drop", now.Distinct2, previous.Distinct2 * (1 - thresholds.MaxDistinct2Drop),
                    $"distinct-2 fell from {previous.Distinct2:0.###} to {now.Distinct2:0.###}"));
            }

            if (previous.Length.Mean > 0 && now.Length.Mean > 0)
            {
                var ratio = now.Length.Mean / previous.Length.Mean;
                if (ratio > thresholds.MaxLengthRatio || ratio < 1 / thresholds.MaxLengthRatio)
                {
                    alarms.Add(new("drift", "meanLength", now.Length.Mean, previous.Length.Mean,
                        $"mean length moved from {previous.Length.Mean:0.#} to {now.Length.Mean:0.#} tokens"));
                }
            }
        }

        return alarms;
    }
}
