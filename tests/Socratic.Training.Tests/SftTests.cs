// SFT with LoRA on stories260K: the loss falls, every adapter tensor moves, the written adapter reproduces the
// trainer's logits inside llama.cpp, and llama.cpp with the adapter answers what it was taught.
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training.Tests;

public sealed class TaughtStoriesFixture
{
    public const string Prompt = "Lily's favorite color was";
    public const string Answer = " green. She had a green hat.";
    public LlamaModel Model { get; }
    public Trainer Trainer { get; }
    public List<TokenizedExample> Data { get; }
    public double LossBefore { get; }
    public double LossAfter { get; }
    public Dictionary<string, float[]> Initial { get; }
    public string AdapterPath { get; }

    public TaughtStoriesFixture()
    {
        var prompt = LlamaCpp.Tokenize(TestModels.Stories, Prompt);
        var full = LlamaCpp.Tokenize(TestModels.Stories, Prompt + Answer);
        Assert.Equal(prompt, full[..prompt.Length]); // the answer starts at a token boundary
        var other = LlamaCpp.Tokenize(TestModels.Stories, "Tom liked to run");
        var otherFull = LlamaCpp.Tokenize(TestModels.Stories, "Tom liked to run in the park with his dog.");
        Data =
        [
            TokenizedExample.FromPromptCompletion(prompt, full[prompt.Length..]),
            TokenizedExample.FromPromptCompletion(other, otherFull[other.Length..]),
        ];
        Model = LlamaModel.Load(TestModels.Stories);
        Trainer = new Trainer(Model, new TrainerConfig(
            Lora: new LoraConfig(Rank: 4, Alpha: 8, Targets: LoraConfig.AllTargets),
            LearningRate: 1e-2f, WarmupSteps: 5, TotalSteps: 60, WeightDecay: 0.01f, Seed: 1));
        Initial = Trainer.TrainableParams.ToDictionary(p => p.Name, p => (float[])p.Data.Clone());
        LossBefore = Data.Average(e => Sft.Loss(Model, e));
        for (int s = 0; s < 60; s++) Trainer.TrainSft(Data);
        LossAfter = Data.Average(e => Sft.Loss(Model, e));
        AdapterPath = TestModels.TempPath("taught.lora.gguf");
        Trainer.SaveAdapter(AdapterPath);
    }
}

public class SftTests(TaughtStoriesFixture f) : IClassFixture<TaughtStoriesFixture>
{
    [Fact]
    public void Sft_with_lora_lowers_the_loss_and_changes_every_trainable_tensor()
    {
        Assert.True(f.LossAfter < 0.5 * f.LossBefore, $"loss {f.LossBefore:F3} → {f.LossAfter:F3}");
        Assert.Equal(5 * 7 * 2, f.Trainer.TrainableParams.Count);
        foreach (var p in f.Trainer.TrainableParams)
            Assert.False(p.Data.AsSpan().SequenceEqual(f.Initial[p.Name]), $"{p.Name} did not change");
        Assert.All(f.Model.BaseParams(), p => Assert.False(p.Trainable));
    }

    [Fact]
    public void Written_adapter_gives_the_same_logits_in_llama_cpp_as_in_the_trainer()
    {
        var tokens = f.Data[0].Tokens.Concat(f.Data[1].Tokens).ToArray();
        var expected = f.Model.Logits(tokens);
        var actual = LlamaCpp.Logits(TestModels.Stories, tokens, f.AdapterPath);
        var baseLogits = LlamaCpp.Logits(TestModels.Stories, tokens);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        double moved = expected.Zip(baseLogits, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(moved > 100 * 1e-4 * scale, $"adapter barely changes logits ({moved:g3}); the comparison would be vacuous");
        Assert.True(diff <= 1e-4 * scale, $"max |Δlogit| {diff:g4} at scale {scale:g4}");
    }

    [Fact]
    public void Adapter_loaded_in_llama_cpp_makes_stories260K_give_the_taught_answer()
    {
        string before = LlamaCpp.Greedy(TestModels.Stories, TaughtStoriesFixture.Prompt, 16);
        string after = LlamaCpp.Greedy(TestModels.Stories, TaughtStoriesFixture.Prompt, 16, f.AdapterPath);
        Assert.DoesNotContain("green", before);
        Assert.StartsWith(" green. She had a green hat", after);
    }

    [Fact]
    public void Adapter_file_reloads_into_the_trainer_with_identical_logits()
    {
        var reloaded = LlamaModel.Load(TestModels.Stories);
        LoraAdapter.Load(reloaded, f.AdapterPath);
        var tokens = f.Data[0].Tokens;
        Assert.Equal(f.Model.Logits(tokens), reloaded.Logits(tokens));
    }
}
