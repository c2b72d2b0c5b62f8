// The in-process closed loop behind `socratic campaign`: no database, no Hangfire, one reproducible experiment.
// Generation 0 is the starting model (made from nothing and pre-trained on easy tasks, or a GGUF the user
// brings). Each generation g ≥ 1 then: samples K attempts per self-play task on the preset's curriculum of harder
// tasks with the current policy (batched LLamaSharp decoding through the ordinary game engine), scores them grounded
// (numeric check), checks their working (WorkingCheck), curates (grounded, score 1, top-k per task, MinHash
// near-duplicates: Curator), trains the base model on all curated data so far (rejection sampling / STaR / expert
// iteration: SFT on the model's own correct answers), evaluates the result greedily on held-out tasks no game can
// draw (content split, 95% Wilson intervals), measures the diversity of the generation's outputs (CoverageMetrics)
// and asks the meta-critic (MetaCriticPolicy) for its proposals. The kinds the preset lists are applied by an
// autopilot rule (after a rollback the next generation samples from the parent again); the others are recorded.
// Nothing is hard-coded: every number in the report comes from the run.
using System.Diagnostics;
using System.Globalization;
using Socratic.Cli.Hosting;
using Socratic.Cli.Training;
using Socratic.Core.Coverage;
using Socratic.Core.Curation;
using Socratic.Core.Engine;
using Socratic.Core.Evaluation;
using Socratic.Core.MetaCritic;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Training;
using Socratic.Inference;
using Socratic.Training;
using Socratic.Training.Datasets;
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Cli.Campaign;

/// <param name="Model">A GGUF to start from; null makes one (pre-training on the preset's easy tasks).</param>
/// <param name="Work">Folder for models, adapters and datasets (not part of the report).</param>
/// <param name="FullFineTune">Train every weight (writes a model per generation) instead of a LoRA adapter.</param>
/// <param name="Verify">How an attempt's working is checked before it may be curated.</param>
public sealed record CampaignOptions(
    CampaignPreset Preset,
    string? Model,
    string Tokenizer,
    string Work,
    int Seed,
    int Threads,
    int Concurrency,
    bool FullFineTune,
    WorkingVerification Verify = WorkingVerification.Equations);

/// <summary>The process check an attempt must pass besides the grounded answer check.</summary>
public enum WorkingVerification
{
    /// <summary>No false equation; the answer is the last equation's result (any way of writing the working).</summary>
    Equations,

    /// <summary>The working is the task's carry-rest derivation, step by step (the form the micro pre-training teaches).</summary>
    Derivation,

    /// <summary>No process check: the grounded answer alone decides (for models whose working cannot be read).</summary>
    Answer,
}

public sealed record SuiteResult(string Suite, int Count, int Correct, double Accuracy, double Low, double High);

public sealed record DiversityResult(int Texts, double Distinct1, double Distinct2, double SelfBleu, double CompressionRatio, double Novelty, double MeanLength);

public sealed record DecisionResult(string Kind, string Rationale, bool Applied);

/// <summary>One row of the report. Generation 0 is the starting model: no self-play, no training.</summary>
public sealed record GenerationResult(
    int Generation,
    string Policy,
    IReadOnlyList<SuiteResult> Evaluation,
    int Episodes,
    int? WellFormed,
    double? GameScore,
    int? TasksSolved,
    int? Tasks,
    int? Curated,
    int? TrainingExamples,
    double? FirstLoss,
    double? LastLoss,
    DiversityResult? Diversity,
    IReadOnlyList<string> Alarms,
    IReadOnlyList<DecisionResult> Decisions,
    double? SamplingTemperature,
    double Seconds);

public sealed record CampaignResult(
    string Preset,
    string StartingModel,
    bool MadeModel,
    double? PretrainSeconds,
    double? PretrainFirstLoss,
    double? PretrainLastLoss,
    string PretrainTasks,
    string EasyTasks,
    string SelfPlayTasks,
    string HardTasks,
    string HardSuite,
    string EasySuite,
    int Generations,
    int TasksPerGeneration,
    int SamplesPerTask,
    int EvalCount,
    int Seed,
    string Training,
    string Verification,
    string Autopilot,
    IReadOnlyList<GenerationResult> Rows,
    SuiteResult? FirstVsLast,
    double TotalSeconds);

public interface ICampaignProgress
{
    void Stage(string text);

    /// <summary>A stage with a known number of steps; <paramref name="done"/> is called after each.</summary>
    IDisposable Bar(string text, int total, out Action<string?> done);

    void Generation(GenerationResult row);
}

public sealed partial class MicroCampaign(CampaignOptions options, ICampaignProgress progress)
{
    public const string HardSuiteName = "campaign-hard-heldout";
    public const string EasySuiteName = "campaign-easy-heldout";
    private CampaignPreset P => options.Preset;

    private int Context => P.Context;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?im)^\s*answer\s*[:=]")]
    private static partial System.Text.RegularExpressions.Regex AnswerLines();

    public async Task<CampaignResult> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Work);
        TrainingThreads.Max = Math.Max(1, options.Threads);

        // Generation 0: the starting model.
        string baseModel;
        double? pretrainSeconds = null, pretrainFirst = null, pretrainLast = null;
        if (options.Model is { } given)
        {
            baseModel = Path.GetFullPath(given);
        }
        else
        {
            baseModel = Path.Combine(Path.GetFullPath(options.Work), "g0-pretrained.gguf");
            var clock = Stopwatch.StartNew();
            (pretrainFirst, pretrainLast) = Pretrain(baseModel, cancellationToken);
            pretrainSeconds = clock.Elapsed.TotalSeconds;
        }

        var hardSuite = new EvaluationSuite(HardSuiteName, "held-out " + CampaignPreset.Describe(P.Hard), P.Game($"eval/{HardSuiteName}", P.Hard, 0));
        var easySuite = new EvaluationSuite(EasySuiteName, "held-out " + CampaignPreset.Describe(P.Easy), P.Game($"eval/{EasySuiteName}", P.Easy, 0));
        var tokenizerModel = options.Model is null ? options.Tokenizer : baseModel;

        await using var provider = CliEnvironment.Runtime(Context, options.Concurrency, options.Threads);
        var start = new PolicySpec(baseModel) { ChatTemplate = "chatml" };
        await provider.GetAsync(start, cancellationToken); // a bad model fails here, before anything is played

        var rows = new List<GenerationResult>();
        var clock0 = Stopwatch.StartNew();
        var evals0 = await EvaluateAsync(provider, start, [hardSuite, easySuite], 0, cancellationToken);
        var row0 = new GenerationResult(0, Path.GetFileName(baseModel), evals0, 0, null, null, null, null, null, null, null, null, null, [], [], null,
            clock0.Elapsed.TotalSeconds + (pretrainSeconds ?? 0));
        rows.Add(row0);
        progress.Generation(row0);

        var current = start;
        var currentEvals = evals0;
        double? previousScore = null;
        CoverageMetrics? previousCoverage = null;
        var earlierTexts = new List<string>();
        var allCurated = new List<ChatRecord>();
        var temperature = P.Temperature;
        for (var g = 1; g <= P.Generations; g++)
        {
            var clock = Stopwatch.StartNew();
            progress.Stage($"generation {g}: self-play on {CampaignPreset.Describe(P.SelfPlayTasks(g))} at temperature {temperature.ToString("0.##", CultureInfo.InvariantCulture)}");
            var (attempts, wellFormed) = await SelfPlayAsync(provider, current, g, temperature, cancellationToken);
            var texts = attempts.Select(a => a.Completion).ToList();

            // Curation: the model's own correct answers, a few per task, near-duplicates removed. An attempt counts only
            // when well formed: stopped by itself and passed the process check (WorkingCheck: true equations and an
            // answer that follows from them, or the exact derivation), so a lucky number under wrong working is not
            // trained on.
            var curated = Curator.Curate([.. attempts.Where(a => wellFormed.Contains(a.EpisodeId))], new CurationRules
            {
                GroundedOnly = true, MinScore = 1, TopKPerTask = P.TopKPerTask, DedupThreshold = 0.9,
            }).Kept;
            await WriteAttemptsAsync(Path.Combine(options.Work, $"g{g}-attempts.jsonl"), attempts, wellFormed, cancellationToken);
            var dataPath = Path.Combine(options.Work, $"g{g}-curated.jsonl");
            await File.WriteAllTextAsync(dataPath, DatasetExport.Chat(curated).Jsonl, cancellationToken);
            allCurated.AddRange(ChatJsonl.ReadChat(dataPath));

            // Training: the base model on every curated answer so far (STaR restarts from the base each round).
            var output = Path.Combine(Path.GetFullPath(options.Work), options.FullFineTune ? $"g{g}.gguf" : $"g{g}.lora.gguf");
            double? firstLoss = null, lastLoss = null;
            var candidate = current;
            if (allCurated.Count > 0)
            {
                (firstLoss, lastLoss) = Train(baseModel, tokenizerModel, allCurated, output, g, cancellationToken);
                candidate = options.FullFineTune
                    ? new PolicySpec(output) { ChatTemplate = "chatml" }
                    : new PolicySpec(baseModel) { ChatTemplate = "chatml", AdapterPath = output };
            }
            else
            {
                progress.Stage($"generation {g}: no correct answer to train on; the policy stays as it was");
            }

            var evals = ReferenceEquals(candidate, current) ? currentEvals
                : await EvaluateAsync(provider, candidate, [hardSuite, easySuite], g, cancellationToken);

            // Coverage of what this generation generated.
            var coverage = CoverageMetrics.Measure(texts, earlierTexts, seed: options.Seed);
            var alarms = CoverageAlarms.Evaluate(coverage, previousCoverage, new CoverageThresholds());
            earlierTexts.AddRange(texts);
            previousCoverage = coverage;

            // The meta-critic on eval vs parent; the autopilot applies the kinds the preset allows (the others stay proposals).
            var gameScore = attempts.Count == 0 ? 0 : attempts.Average(a => a.Score);
            var evidence = new GenerationEvidence(
                g, g, g - 1,
                [new GameEvidence(1, $"self-play/{P.Name}", 1.0, 1.0, gameScore, previousScore, attempts.Count)],
                [.. evals.Select(e => new EvalEvidence(e.Suite, e.Count, e.Correct))],
                [.. currentEvals.Select(e => new EvalEvidence(e.Suite, e.Count, e.Correct))],
                alarms,
                temperature);
            var decisions = new List<DecisionResult>();
            var rolledBack = false;
            foreach (var proposal in MetaCriticPolicy.Propose(evidence, new MetaCriticSettings()))
            {
                var applied = P.Autopilot.Contains(proposal.Kind);
                rolledBack |= applied && proposal.Kind == DecisionKind.Rollback;
                if (applied && proposal.Kind == DecisionKind.RaiseDiversity && proposal.Payload["temperature"] is { } next)
                {
                    temperature = (float)next.GetValue<double>();
                }

                decisions.Add(new DecisionResult(proposal.Kind.ToString(), proposal.Rationale, applied));
            }

            if (!rolledBack)
            {
                current = candidate;
                currentEvals = evals;
            }

            var row = new GenerationResult(
                g, Path.GetFileName(candidate.AdapterPath ?? candidate.ModelPath), evals, attempts.Count, wellFormed.Count, gameScore,
                attempts.GroupBy(a => a.TaskId).Count(t => t.Any(a => a.Score >= 1)), attempts.Select(a => a.TaskId).Distinct().Count(),
                curated.Count, allCurated.Count, firstLoss, lastLoss,
                new DiversityResult(coverage.Texts, coverage.Distinct1, coverage.Distinct2, coverage.SelfBleu, coverage.CompressionRatio, coverage.Novelty, coverage.Length.Mean),
                [.. alarms.Select(a => a.Message)], decisions, evidence.Temperature, clock.Elapsed.TotalSeconds);
            rows.Add(row);
            progress.Generation(row);
            previousScore = gameScore;
        }

        var first = rows[0].Evaluation[0];
        var last = rows[^1].Evaluation[0];
        var (low, high) = Proportions.Difference(last.Correct, last.Count, first.Correct, first.Count);
        return new CampaignResult(
            P.Name, options.Model ?? "made by model new + pre-training (this run)", options.Model is null, pretrainSeconds, pretrainFirst, pretrainLast,
            CampaignPreset.Describe(P.Pretraining) + $" ({P.Working} working)", CampaignPreset.Describe(P.Easy), P.DescribeCurriculum(), CampaignPreset.Describe(P.Hard), HardSuiteName, EasySuiteName,
            P.Generations, P.TasksPerGeneration, P.SamplesPerTask, P.EvalCount, options.Seed,
            options.FullFineTune ? "full fine-tune" : $"LoRA rank {P.LoraRank}",
            options.Verify switch
            {
                WorkingVerification.Derivation => "the exact carry-rest derivation of the task",
                WorkingVerification.Answer => "not checked (one `Answer:` line, the grounded answer decides)",
                _ => "true equations and an answer that follows from them",
            },
            string.Join(", ", P.Autopilot),
            rows,
            new SuiteResult($"{HardSuiteName} (last − first)", first.Count, last.Correct - first.Correct, last.Accuracy - first.Accuracy, low, high),
            total.Elapsed.TotalSeconds);
    }

    /// <summary>`socratic model new` + a brief `model pretrain` on the easy tasks only.</summary>
    private (double First, double Last) Pretrain(string output, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.Tokenizer))
        {
            throw new CliException($"Tokenizer donor not found: {Path.GetFullPath(options.Tokenizer)}");
        }

        var games = P.Pretraining.Select((t, i) => P.Game($"pretrain/{P.Name}/{i}", t, 0.7f)).ToList();
        var records = new GameDialogueGenerator(games, new WorkingOptions(P.Working, EasyShare: 0))
            .Generate(P.PretrainDialogues, (ulong)options.Seed).ToList();
        List<TokenizedExample> examples;
        using (var tokenizer = LlamaTokenizer.Load(options.Tokenizer))
        {
            var encoder = new ChatEncoder(tokenizer.Tokenize, ChatFormat.ChatMl, Context, "generated dialogues");
            examples = [.. records.Select(encoder.Encode)];
        }

        var model = ModelFactory.CreateLlama(P.Pretrain.Shape, options.Tokenizer, options.Seed, ModelShapes.ChatMlTemplate, output, "campaign-g0");
        var steps = (examples.Count + P.Pretrain.Batch - 1) / P.Pretrain.Batch;
        var trainer = new Trainer(model, new TrainerConfig(
            Mode: TrainingMode.Full, LearningRate: P.Pretrain.LearningRate, WeightDecay: 0.01f, WarmupSteps: P.Pretrain.WarmupSteps,
            TotalSteps: steps, Seed: options.Seed));
        var losses = new List<double>();
        using (progress.Bar($"pre-training a new model on {examples.Count} solved easy tasks ({CampaignPreset.Describe(P.Pretraining)})", steps, out var done))
        {
            trainer.Run(examples, P.Pretrain.Batch, trainer.TrainSft, r =>
            {
                losses.Add(r.Loss);
                done(string.Create(CultureInfo.InvariantCulture, $"loss {losses.TakeLast(10).Average():F3}"));
            }, cancellationToken);
        }

        trainer.SaveModel(output, "campaign-g0");
        return (losses.Take(10).Average(), losses.TakeLast(10).Average());
    }

    private async Task<(List<CurationSample> Attempts, HashSet<long> WellFormed)> SelfPlayAsync(LlamaPolicyProvider provider, PolicySpec policy, int generation, float temperature, CancellationToken cancellationToken)
    {
        var game = P.Game($"self-play/{P.Name}/g{generation}", P.SelfPlayTasks(generation), temperature);
        var source = new ArithmeticTaskGenerator(P.SelfPlayTasks(generation)); // training partition: never a held-out task
        var engine = new GameEngine(provider, new ScorerFactory(provider));
        var generationSeed = Seeds.Combine(Seeds.Combine(Seeds.OfText("socratic/campaign/self-play"), options.Seed), generation);
        var roles = new Dictionary<string, PolicySpec> { [CampaignPreset.SolverRole] = policy };
        var total = P.TasksPerGeneration * P.SamplesPerTask;
        var samples = new CurationSample?[total];
        var wellFormed = new System.Collections.Concurrent.ConcurrentBag<long>();
        using (progress.Bar($"generation {generation}: {P.TasksPerGeneration} tasks × {P.SamplesPerTask} attempts", total, out var done))
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, total),
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    int taskIndex = i / P.SamplesPerTask, attempt = i % P.SamplesPerTask;
                    var taskSeed = Seeds.Episode(generationSeed, taskIndex);
                    var task = source.Draw(taskIndex, taskSeed);
                    var result = await engine.PlayAsync(new EpisodePlan(game, task, roles, Seeds.Combine(taskSeed, 1 + attempt)), null, ct);
                    var score = result.Scores.FirstOrDefault(s => s.Role == CampaignPreset.SolverRole && s.Grounded);
                    var view = ConversationView.Build(game, task, CampaignPreset.SolverRole, result.Turns);
                    var completion = string.Join("\n", result.Turns.Where(t => t.Role == CampaignPreset.SolverRole).Select(t => t.Text));
                    var verified = options.Verify switch
                    {
                        WorkingVerification.Derivation => WorkingCheck.Derivation(task.Fields["expression"], completion),
                        WorkingVerification.Answer => AnswerLines().Count(completion) == 1,
                        _ => AnswerLines().Count(completion) == 1 && WorkingCheck.Consistent(completion),
                    };
                    if (verified && result.Turns.All(t => t.FinishReason == FinishReason.Stop))
                    {
                        wellFormed.Add(i);
                    }

                    samples[i] = new CurationSample(
                        i, game.Name, task.Id, task.Id, CampaignPreset.SolverRole, view,
                        string.Join("\n\n", view.Where(m => m.Role != ChatRole.Assistant).Select(m => m.Content)), completion,
                        score?.Value ?? 0, score is not null, generation);
                    done(null);
                });
        }

        return ([.. samples.Select(s => s!)], [.. wellFormed]);
    }

    private (double First, double Last) Train(string baseModel, string tokenizerModel, IReadOnlyList<ChatRecord> records, string output, int generation, CancellationToken cancellationToken)
    {
        var model = LlamaModel.Load(baseModel);
        List<TokenizedExample> examples;
        using (var tokenizer = LlamaTokenizer.Load(tokenizerModel))
        {
            var encoder = new ChatEncoder(tokenizer.Tokenize, ChatFormat.ChatMl, Math.Min(Context, model.Config.ContextLength), "curated self-play");
            examples = [.. records.Select(encoder.Encode)];
        }

        var batch = Math.Min(P.Batch, examples.Count);
        var steps = Math.Max(1, P.Epochs * ((examples.Count + batch - 1) / batch));
        var trainer = new Trainer(model, new TrainerConfig(
            Mode: options.FullFineTune ? TrainingMode.Full : TrainingMode.Lora,
            Lora: new LoraConfig(P.LoraRank, 2f * P.LoraRank, 0f, LoraConfig.AllTargets),
            LearningRate: P.LearningRate, WeightDecay: 0.01f, WarmupSteps: Math.Min(10, steps / 10), TotalSteps: steps,
            Seed: options.Seed + generation));
        var losses = new List<double>();
        using (progress.Bar($"generation {generation}: training on {examples.Count} curated answers ({(options.FullFineTune ? "full" : "LoRA")})", steps, out var done))
        {
            trainer.Run(examples, batch, trainer.TrainSft, r =>
            {
                losses.Add(r.Loss);
                done(string.Create(CultureInfo.InvariantCulture, $"loss {losses.TakeLast(10).Average():F3}"));
            }, cancellationToken);
        }

        if (options.FullFineTune)
        {
            trainer.SaveModel(output, $"campaign-g{generation}");
        }
        else
        {
            trainer.SaveAdapter(output);
        }

        var n = Math.Max(1, Math.Min(10, losses.Count / 4));
        return (losses.Take(n).Average(), losses.TakeLast(n).Average());
    }

    private async Task<IReadOnlyList<SuiteResult>> EvaluateAsync(LlamaPolicyProvider provider, PolicySpec policy, IReadOnlyList<EvaluationSuite> suites, int generation, CancellationToken cancellationToken)
    {
        var results = new List<SuiteResult>();
        foreach (var suite in suites)
        {
            EvaluationReport report;
            using (progress.Bar($"generation {generation}: held-out {suite.Name} ({P.EvalCount} tasks, greedy)", P.EvalCount, out var done))
            {
                report = await new EvaluationRunner(provider).RunAsync(suite, policy, P.EvalCount, options.Seed, options.Concurrency, () => done(null), cancellationToken);
            }

            var (low, high) = report.Interval;
            results.Add(new SuiteResult(suite.Name, report.Count, report.Correct, report.Accuracy, low, high));
        }

        return results;
    }

    /// <summary>Every attempt of a generation, for reading what the model did: task, completion, grounded score and
    /// whether it passed the working check (one JSON object a line).</summary>
    private static async Task WriteAttemptsAsync(string path, IReadOnlyList<CurationSample> attempts, HashSet<long> wellFormed, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path);
        foreach (var a in attempts)
        {
            await writer.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new
            {
                task = a.Prompt.Split("\n\n")[^1], completion = a.Completion, score = a.Score, checkedWorking = wellFormed.Contains(a.EpisodeId),
            }).AsMemory(), cancellationToken);
        }
    }
}
