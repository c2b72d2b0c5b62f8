// Checkpoint + resume replays a run exactly: training N steps straight equals N/2, checkpoint, resume on a
// fresh copy of the base, N/2 more (weights and AdamW moments bit-identical). Covers LoRA with dropout and
// gradient accumulation, and full fine-tuning.
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training.Tests;

public class CheckpointTests
{
    static LlamaModel Base() => ModelFactory.CreateRandom(
        new LlamaConfig(Dim: 16, Layers: 2, Heads: 4, KvHeads: 2, FfnDim: 24, Vocab: 40, ContextLength: 64), seed: 21, initStd: 0.2f);

    static List<TokenizedExample> Data()
    {
        var rng = new Random(4);
        return Enumerable.Range(0, 4).Select(_ =>
        {
            var toks = Enumerable.Range(0, 12).Select(_ => rng.Next(40)).ToArray();
            return TokenizedExample.FromPromptCompletion(toks[..4], toks[4..]);
        }).ToList();
    }

    [Theory]
    [InlineData(TrainingMode.Lora)]
    [InlineData(TrainingMode.Full)]
    public void Resuming_from_a_checkpoint_continues_exactly_like_an_uninterrupted_run(TrainingMode mode)
    {
        var cfg = new TrainerConfig(Mode: mode, Lora: new LoraConfig(Rank: 2, Alpha: 4, Dropout: 0.1f, Targets: LoraConfig.AllTargets),
            LearningRate: 5e-3f, WeightDecay: 0.1f, WarmupSteps: 2, TotalSteps: 8, GradAccumulation: 2, GradClip: 0.5f, Seed: 9);
        var data = Data();
        var batches = Enumerable.Range(0, 16).Select(i => (IReadOnlyList<TokenizedExample>)[data[i % 4], data[(i + 1) % 4]]).ToList();

        var straight = new Trainer(Base(), cfg);
        foreach (var b in batches) straight.TrainSft(b);
        Assert.Equal(8, straight.Step);

        var first = new Trainer(Base(), cfg);
        foreach (var b in batches.Take(8)) first.TrainSft(b);
        string path = TestModels.TempPath("run.ckpt");
        first.SaveCheckpoint(path);
        var resumed = Trainer.Resume(path, Base());
        Assert.Equal(4, resumed.Step);
        Assert.Equal(cfg, resumed.Config with { Lora = cfg.Lora });
        foreach (var b in batches.Skip(8)) resumed.TrainSft(b);

        Assert.Equal(straight.TrainableParams.Select(p => p.Name), resumed.TrainableParams.Select(p => p.Name));
        foreach (var (a, b) in straight.TrainableParams.Zip(resumed.TrainableParams))
        {
            Assert.Equal(a.Data, b.Data);
            Assert.Equal(straight.Optimizer.State[a.Name].M, resumed.Optimizer.State[b.Name].M);
        }
    }

    [Fact]
    public void Run_stops_at_total_steps_and_a_resumed_run_continues_the_same_batch_order()
    {
        var cfg = new TrainerConfig(Lora: new LoraConfig(Rank: 2, Alpha: 2), TotalSteps: 6, GradAccumulation: 2, LearningRate: 1e-2f, Seed: 2);
        var data = Data();
        var straight = new Trainer(Base(), cfg);
        var results = new List<StepResult>();
        straight.Run(data, 3, straight.TrainSft, results.Add);
        Assert.Equal(6, straight.Step);
        Assert.Equal(12, results.Count);
        Assert.Equal(6, results.Count(r => r.OptimizerStepped));

        var first = new Trainer(Base(), cfg);
        string path = TestModels.TempPath("part.ckpt");
        first.Run(data, 3, batch =>
        {
            var r = first.TrainSft(batch);
            if (r.OptimizerStepped && r.Step == 3) first.SaveCheckpoint(path);
            return r;
        });
        var resumed = Trainer.Resume(path, Base());
        Assert.Equal(3, resumed.Step);
        resumed.Run(data, 3, resumed.TrainSft);
        foreach (var (a, b) in straight.TrainableParams.Zip(resumed.TrainableParams)) Assert.Equal(a.Data, b.Data);
    }

    [Fact]
    public void Accumulating_two_micro_batches_equals_one_batch_of_both()
    {
        var data = Data();
        var cfg = new TrainerConfig(Mode: TrainingMode.Full, LearningRate: 1e-2f, GradClip: 0, Seed: 4);
        var accumulated = new Trainer(Base(), cfg with { GradAccumulation = 2 });
        Assert.False(accumulated.TrainSft([data[0]]).OptimizerStepped);
        var r = accumulated.TrainSft([data[1]]);
        Assert.True(r.OptimizerStepped);
        var together = new Trainer(Base(), cfg);
        var r2 = together.TrainSft([data[0], data[1]]);
        Assert.Equal(r2.GradNorm, r.GradNorm, 5);
        foreach (var (a, b) in accumulated.TrainableParams.Zip(together.TrainableParams))
            for (int i = 0; i < a.Data.Length; i++) Assert.Equal(b.Data[i], a.Data[i], 5);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var rng = new Random(8);
        var ex = TokenizedExample.FromPromptCompletion([1, 9], Enumerable.Range(0, 60).Select(_ => rng.Next(3, 500)).ToArray());
        float[][] Train(int threads)
        {
            int before = TrainingThreads.Max;
            TrainingThreads.Max = threads;
            try
            {
                var t = new Trainer(LlamaModel.Load(TestModels.Stories), new TrainerConfig(Mode: TrainingMode.Full, LearningRate: 1e-3f));
                t.TrainSft([ex]);
                t.TrainSft([ex]);
                return t.TrainableParams.Select(p => p.Data).ToArray();
            }
            finally { TrainingThreads.Max = before; }
        }
        var one = Train(1);
        var all = Train(-1);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], all[i]);
    }

    [Fact]
    public void Checkpoint_in_the_middle_of_gradient_accumulation_is_refused()
    {
        var t = new Trainer(Base(), new TrainerConfig(GradAccumulation: 2));
        var r = t.TrainSft([Data()[0]]);
        Assert.False(r.OptimizerStepped);
        Assert.Throws<InvalidOperationException>(() => t.SaveCheckpoint(TestModels.TempPath("x.ckpt")));
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_follows_a_cosine_to_the_floor()
    {
        var c = new TrainerConfig(LearningRate: 1f, WarmupSteps: 4, TotalSteps: 14, MinLearningRateRatio: 0.1f);
        Assert.Equal(0.25f, c.LearningRateAt(0), 6);
        Assert.Equal(1f, c.LearningRateAt(3), 6);
        Assert.Equal(1f, c.LearningRateAt(4), 6);
        Assert.Equal(0.55f, c.LearningRateAt(9), 5); // halfway through the decay
        Assert.Equal(0.1f, c.LearningRateAt(14), 6);
        Assert.Equal(0.1f, c.LearningRateAt(100), 6);
    }
}
