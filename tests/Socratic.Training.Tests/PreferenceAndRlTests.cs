// DPO and GRPO on stories260K with LoRA: the preference margin over the frozen reference grows, and sampling
// from the policy earns a higher mean score on a task whose score is checked against the prompt.
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training.Tests;

public class PreferenceAndRlTests
{
    [Fact]
    public void Dpo_raises_the_chosen_over_rejected_margin()
    {
        const string prompt = "The sky was";
        var p = LlamaCpp.Tokenize(TestModels.Stories, prompt);
        TokenizedExample Ex(string answer)
        {
            var full = LlamaCpp.Tokenize(TestModels.Stories, prompt + answer);
            return TokenizedExample.FromPromptCompletion(p, full[p.Length..]);
        }
        var pairs = new List<PreferencePair> { new(Ex(" green and pink."), Ex(" blue and sunny.")) };
        var model = LlamaModel.Load(TestModels.Stories);
        var trainer = new Trainer(model, new TrainerConfig(Lora: new LoraConfig(Rank: 4, Alpha: 8), LearningRate: 5e-3f,
            TotalSteps: 30, DpoBeta: 0.1f, Seed: 3));
        double Margin() => pairs.Average(pp =>
            SequenceLogProbs.Total(model, pp.Chosen) - trainer.ReferenceLogProb(pp.Chosen)
            - (SequenceLogProbs.Total(model, pp.Rejected) - trainer.ReferenceLogProb(pp.Rejected)));
        double before = Margin();
        Assert.Equal(0, before, 6); // B = 0 at start: policy equals reference
        var first = trainer.TrainDpo(pairs);
        StepResult last = first;
        for (int s = 1; s < 30; s++) last = trainer.TrainDpo(pairs);
        double after = Margin();
        Assert.True(after > 2, $"margin {before:F3} → {after:F3}");
        Assert.True(last.Loss < first.Loss, $"DPO loss {first.Loss:F4} → {last.Loss:F4}");
        Assert.True(SequenceLogProbs.Total(model, pairs[0].Chosen) > SequenceLogProbs.Total(model, pairs[0].Rejected));
    }

    [Fact]
    public void Grpo_raises_the_mean_score_of_a_grounded_copying_task()
    {
        // Score: share of completion tokens that occur in the prompt (answers grounded in the given text).
        var prompt = LlamaCpp.Tokenize(TestModels.Stories, "Tom had a big red ball. Tom");
        var allowed = prompt.ToHashSet();
        double Score(int[] completion) => completion.Length == 0 ? 0 : completion.Count(allowed.Contains) / (double)completion.Length;

        var model = LlamaModel.Load(TestModels.Stories);
        var trainer = new Trainer(model, new TrainerConfig(Lora: new LoraConfig(Rank: 4, Alpha: 8, Targets: LoraConfig.AllTargets),
            LearningRate: 1e-2f, TotalSteps: 25, GrpoKlBeta: 0.02f, Seed: 5));
        double Eval()
        {
            var rng = new Random(123);
            return Enumerable.Range(0, 24).Average(_ => Score(Generation.Sample(model, prompt, 8, 1f, rng, stopToken: 2)));
        }
        double before = Eval();
        for (int s = 0; s < 25; s++)
        {
            var group = trainer.SampleGroup(prompt, groupSize: 8, maxNewTokens: 8, Score, temperature: 1f, stopToken: 2);
            trainer.TrainGrpo([group]);
        }
        double after = Eval();
        Assert.True(after > before + 0.2, $"mean score {before:F3} → {after:F3}");
    }

    [Fact]
    public void Grpo_advantages_are_normalized_within_the_group()
    {
        var a = Grpo.Advantages([1, 2, 3, 6]);
        Assert.Equal(0, a.Sum(), 9);
        Assert.Equal(1, Math.Sqrt(a.Sum(x => x * x) / a.Length), 3);
        Assert.All(Grpo.Advantages([0.5, 0.5, 0.5]), x => Assert.Equal(0, x));
    }
}
