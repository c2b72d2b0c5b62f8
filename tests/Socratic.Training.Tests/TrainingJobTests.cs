// The one-call jobs the CLI uses: JSONL in, trained adapter/model out, checkpoint resume.
using Socratic.Training.Datasets;
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class TrainingJobTests
{
    static TokenizeFn Tok => (text, bos) => LlamaCpp.Tokenize(TestModels.Stories, text, bos);

    [Fact]
    public void Sft_job_trains_from_jsonl_writes_an_adapter_llama_cpp_loads_and_resumes_from_its_checkpoint()
    {
        string data = TestModels.TempPath("chat.jsonl");
        File.WriteAllLines(data,
        [
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Tom?\"},{\"role\":\"assistant\",\"content\":\"Tom is a happy dog.\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Lily?\"},{\"role\":\"assistant\",\"content\":\"Lily is a kind girl.\"}]}",
        ]);
        string output = TestModels.TempPath("job.lora.gguf"), ckpt = Path.ChangeExtension(output, ".ckpt");
        var options = new TrainingJobOptions(TestModels.Stories, data, output,
            new TrainerConfig(Lora: new LoraConfig(Rank: 4, Alpha: 8), LearningRate: 1e-2f, TotalSteps: 20, Seed: 3),
            BatchSize: 2, Format: ChatFormat.Plain, CheckpointPath: ckpt, CheckpointEvery: 10);
        var steps = new List<StepResult>();
        var result = TrainingJob.Run(TrainingJob.Objective.Sft, options, Tok, steps.Add);
        Assert.Equal(20, result.Steps);
        Assert.Equal(20, steps.Count);
        Assert.True(result.LastLoss < 0.5 * result.FirstLoss, $"{result.FirstLoss:F3} → {result.LastLoss:F3}");

        var model = LlamaModel.Load(TestModels.Stories);
        LoraAdapter.Load(model, output);
        var tokens = Tok("User: Who is Tom?\nAssistant: Tom is a happy dog.\n", true);
        var expected = model.Logits(tokens);
        var actual = LlamaCpp.Logits(TestModels.Stories, tokens, output);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-4 * scale);

        // Running again with the finished checkpoint does no further steps.
        var again = TrainingJob.Run(TrainingJob.Objective.Sft, options, Tok);
        Assert.Equal(20, again.Steps);
    }

    [Fact]
    public void Dpo_job_reports_line_numbers_of_bad_data()
    {
        string data = TestModels.TempPath("prefs.jsonl");
        File.WriteAllLines(data, ["{\"prompt\":\"Hi\",\"chosen\":\"Hello.\",\"rejected\":\"Go.\"}", "{\"prompt\":\"Hi\",\"chosen\":\"Hello.\"}"]);
        var options = new TrainingJobOptions(TestModels.Stories, data, TestModels.TempPath("x.gguf"), new TrainerConfig(TotalSteps: 2));
        var e = Assert.Throws<DatasetFormatException>(() => TrainingJob.Run(TrainingJob.Objective.Dpo, options, Tok));
        Assert.Equal(2, e.LineNumber);
    }
}
