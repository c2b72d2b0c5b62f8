// Writes what a campaign measured: results.json (everything, machine-readable), README.md (the command, the
// configuration and a table per generation) and accuracy.png (ScottPlot: held-out accuracy per generation with
// its 95% Wilson interval as error bars). Only numbers from the run go in; the verdict sentence is computed
// from the interval of the difference, never written by hand.
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScottPlot;

namespace Socratic.Cli.Campaign;

public static class CampaignReport
{
    public const string Json = "results.json";
    public const string Readme = "README.md";
    public const string Plot = "accuracy.png";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string folder, CampaignResult result, string command)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Json), JsonSerializer.Serialize(new { command, result }, Options) + "\n");
        WritePlot(Path.Combine(folder, Plot), result);
        File.WriteAllText(Path.Combine(folder, Readme), Markdown(result, command));
    }

    public static string Verdict(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var d = result.FirstVsLast!;
        var change = F($"{d.Accuracy:+0.000;-0.000;0.000} (95% Newcombe interval [{d.Low:+0.000;-0.000;0.000}, {d.High:+0.000;-0.000;0.000}])");
        return d.Low > 0 ? $"Held-out accuracy on the hard tasks rose from generation 0 to {result.Generations} by {change}: the interval excludes 0."
            : d.High < 0 ? $"Held-out accuracy on the hard tasks fell from generation 0 to {result.Generations} by {change}: the interval excludes 0."
            : $"Held-out accuracy on the hard tasks changed from generation 0 to {result.Generations} by {change}: the interval includes 0, so this run shows no statistically clear change.";
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Pct(SuiteResult s) => F($"{s.Accuracy:0.000} [{s.Low:0.000}, {s.High:0.000}] ({s.Correct}/{s.Count})");

    private static string Markdown(CampaignResult r, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine(F($"# Campaign `{r.Preset}`: self-play with grounded scoring on harder tasks"));
        sb.AppendLine();
        sb.AppendLine("Written by `socratic campaign` from one run; every number below is measured, nothing is edited by hand.");
        sb.AppendLine();
        sb.AppendLine("```bash");
        sb.AppendLine(command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Result");
        sb.AppendLine();
        sb.AppendLine(Verdict(r));
        sb.AppendLine();
        sb.AppendLine("![held-out accuracy per generation](accuracy.png)");
        sb.AppendLine();
        sb.AppendLine("## Configuration");
        sb.AppendLine();
        sb.AppendLine("| | |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(F($"| starting model | {r.StartingModel} |"));
        if (r.MadeModel)
        {
            sb.AppendLine(F($"| pre-training | easy tasks only ({r.PretrainTasks}), {r.PretrainSeconds / 60:0.0} min, loss {r.PretrainFirstLoss:0.000} → {r.PretrainLastLoss:0.000} |"));
        }

        sb.AppendLine(F($"| self-play tasks | {r.SelfPlayTasks} (training partition) |"));
        sb.AppendLine(F($"| hard evaluation tasks | {r.HardTasks} (held-out partition; harder than anything in pre-training) |"));
        sb.AppendLine(F($"| per generation | {r.TasksPerGeneration} tasks × {r.SamplesPerTask} sampled attempts, grounded numeric score |"));
        sb.AppendLine(F($"| curation | well formed (stopped by itself; working checked: {r.Verification}), grounded, score = 1, top-k per task, MinHash near-duplicates (0.9) |"));
        sb.AppendLine(F($"| autopilot | applies {r.Autopilot}; other meta-critic proposals are recorded, not applied |"));
        sb.AppendLine(F($"| training | SFT of the starting model on all curated answers so far ({r.Training}) — rejection sampling / STaR |"));
        sb.AppendLine(F($"| evaluation | greedy, {r.EvalCount} held-out tasks per suite (content split: self-play never draws them), 95% Wilson intervals |"));
        sb.AppendLine(F($"| suites | `{r.HardSuite}`: {r.HardTasks}; `{r.EasySuite}`: {r.EasyTasks} (pre-training kind: forgetting check) |"));
        sb.AppendLine(F($"| seed | {r.Seed} |"));
        sb.AppendLine(F($"| wall time | {r.TotalSeconds / 60:0.0} min |"));
        sb.AppendLine();
        sb.AppendLine("## Per generation");
        sb.AppendLine();
        sb.AppendLine("Held-out accuracy is shown as accuracy [95% Wilson interval] (correct/count). The game score is the mean grounded score of all sampled attempts; well-formed counts attempts that stopped by themselves and passed the working check; solved is the number of self-play tasks with at least one correct attempt.");
        sb.AppendLine();
        sb.AppendLine("| gen | policy | held-out hard | held-out easy | game score | well-formed | solved | curated (total) | loss | distinct-1 | distinct-2 | self-BLEU | novelty | alarms | meta-critic | wall |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var g in r.Rows)
        {
            var d = g.Diversity;
            var decisions = g.Generation == 0 ? "—" : g.Decisions.Count == 0 ? "no proposal" : string.Join("; ", g.Decisions.Select(x => x.Kind + (x.Applied ? " (applied)" : "")));
            sb.AppendLine(F($"| {g.Generation} | `{g.Policy}` | {Pct(g.Evaluation[0])} | {Pct(g.Evaluation[1])} | ") +
                (g.GameScore is { } s ? F($"{s:0.000}") : "—") + " | " +
                (g.WellFormed is { } w ? F($"{w}/{g.Episodes}") : "—") + " | " +
                (g.Tasks is { } t ? F($"{g.TasksSolved}/{t}") : "—") + " | " +
                (g.Curated is { } c ? F($"{c} ({g.TrainingExamples})") : "—") + " | " +
                (g.FirstLoss is { } l0 ? F($"{l0:0.000} → {g.LastLoss:0.000}") : "—") + " | " +
                (d is null ? "— | — | — | —" : F($"{d.Distinct1:0.000} | {d.Distinct2:0.000} | {d.SelfBleu:0.000} | {d.Novelty:0.000}")) + " | " +
                (g.Alarms.Count == 0 ? (g.Generation == 0 ? "—" : "none") : string.Join("; ", g.Alarms).Replace("|", "/", StringComparison.Ordinal)) + " | " +
                decisions + " | " + F($"{g.Seconds / 60:0.0} min |"));
        }

        var rationales = r.Rows.SelectMany(g => g.Decisions.Select(x => (g.Generation, x))).ToList();
        if (rationales.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Meta-critic proposals");
            sb.AppendLine();
            foreach (var (gen, x) in rationales)
            {
                sb.AppendLine(F($"- generation {gen}, **{x.Kind}**{(x.Applied ? " (applied by the autopilot rule)" : " (recorded, not applied)")}: {x.Rationale}"));
            }
        }

        sb.AppendLine();
        sb.AppendLine("Machine-readable: [results.json](results.json).");
        return sb.ToString();
    }

    private static void WritePlot(string path, CampaignResult r)
    {
        var plot = new Plot();
        string[] labels = ["held-out hard", "held-out easy"];
        for (var s = 0; s < 2; s++)
        {
            double[] xs = [.. r.Rows.Select(g => g.Generation + (s == 0 ? -0.04 : 0.04))];
            double[] ys = [.. r.Rows.Select(g => g.Evaluation[s].Accuracy)];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = labels[s];
            double[] below = [.. r.Rows.Select(g => g.Evaluation[s].Accuracy - g.Evaluation[s].Low)];
            double[] above = [.. r.Rows.Select(g => g.Evaluation[s].High - g.Evaluation[s].Accuracy)];
            var bars = plot.Add.ErrorBar(xs, ys, below); // Wilson intervals are asymmetric: both sides set below
            bars.YErrorNegative = below;
            bars.YErrorPositive = above;
            bars.Color = line.Color;
        }

        plot.Axes.SetLimitsY(0, 1);
        plot.Axes.SetLimitsX(-0.3, r.Rows.Count - 0.7);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. r.Rows.Select(g => (double)g.Generation)], [.. r.Rows.Select(g => g.Generation.ToString(CultureInfo.InvariantCulture))]);
        plot.Title(F($"socratic campaign --preset {r.Preset}: held-out accuracy (95% Wilson CI)"));
        plot.XLabel("generation");
        plot.YLabel("accuracy");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 800, 500);
    }
}
