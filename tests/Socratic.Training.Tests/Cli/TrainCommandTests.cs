// `socratic train`: SFT on a tiny chat JSONL teaches stories260K an answer through a LoRA adapter that
// llama.cpp loads; bad datasets are one-line errors that name the line, with exit code 1.
using System.Globalization;
using System.Text.RegularExpressions;
using Socratic.Training.Gguf;

namespace Socratic.Training.Tests.Cli;

[Collection("cli")]
public partial class TrainCommandTests
{
    [Fact]
    public void Sft_writes_an_adapter_whose_loss_went_down_and_llama_cpp_applies_it()
    {
        string data = TestModels.TempPath("chat.jsonl");
        File.WriteAllLines(data,
        [
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Tom?\"},{\"role\":\"assistant\",\"content\":\"Tom is a happy dog.\"}]}",
            "",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Lily?\"},{\"role\":\"assistant\",\"content\":\"Lily is a kind girl.\"}]}",
        ]);
        string output = TestModels.TempPath("tom.lora.gguf");
        var (code, text) = CliRunner.Run("train", "--model", TestModels.Stories, "--data", data, "--out", output, "--objective", "sft",
            "--template", "plain", "--lora-rank", "4", "--lora-alpha", "8", "--lr", "1e-2", "--epochs", "20", "--batch", "2", "--seed", "3");
        Assert.True(code == 0, text);
        Assert.True(File.Exists(output));
        Assert.Contains("steps    │ 20", text);
        var loss = LossLine().Match(text);
        Assert.True(loss.Success, text);
        double first = double.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture), last = double.Parse(loss.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(last < 0.5 * first, $"{first} → {last}");
        Assert.Contains($"socratic play --model {TestModels.Stories} --adapter {output}", text);

        // llama.cpp loads the adapter, and with it the base answers as taught.
        Assert.Contains("happy dog", LlamaCpp.Greedy(TestModels.Stories, "User: Who is Tom?\nAssistant:", 12, output));
    }

    [Fact]
    public void A_line_that_is_not_json_is_an_error_naming_the_line()
    {
        string data = TestModels.TempPath("bad.jsonl");
        File.WriteAllLines(data,
        [
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"}]}",
            "{\"messages\": [ this is not json",
        ]);
        var (code, text) = CliRunner.Run("train", "--model", TestModels.Stories, "--data", data, "--out", TestModels.TempPath("x.gguf"), "--template", "plain");
        Assert.Equal(1, code);
        var line = text.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith($"error: {data}:2: invalid JSON", line);
    }

    [Fact]
    public void Missing_assistant_turns_and_too_long_sequences_are_one_line_errors()
    {
        string data = TestModels.TempPath("noanswer.jsonl");
        File.WriteAllLines(data, ["{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Tom?\"}]}"]);
        var (code, text) = CliRunner.Run("train", "--model", TestModels.Stories, "--data", data, "--out", TestModels.TempPath("x.gguf"));
        Assert.Equal(1, code);
        Assert.Equal($"error: {data}:1: no assistant turn: nothing to train on", text.Trim());

        File.WriteAllLines(data, ["{\"messages\":[{\"role\":\"user\",\"content\":\"Who is Tom?\"},{\"role\":\"assistant\",\"content\":\"Tom is a happy dog.\"}]}"]);
        (code, text) = CliRunner.Run("train", "--model", TestModels.Stories, "--data", data, "--out", TestModels.TempPath("x.gguf"), "--template", "plain", "--seq", "8");
        Assert.Equal(1, code);
        Assert.Matches(@"^error: .*noanswer\.jsonl:1: sequence of \d+ tokens is longer than the context of 8$", text.Trim());
    }

    [Fact]
    public void An_unsupported_architecture_is_a_one_line_error_naming_the_file()
    {
        var stories = GgufFile.Read(TestModels.Stories);
        string model = TestModels.TempPath("gpt2.gguf");
        GgufWriter.Write(model,
            stories.Metadata.Select(kv => kv.Key == "general.architecture" ? new KeyValuePair<string, GgufValue>(kv.Key, GgufValue.Of("gpt2")) : kv),
            stories.Tensors.Select(t => new GgufTensorData(t.Name, t.Ne, t.Type, stories.ReadRaw(t))).ToList());
        string data = TestModels.TempPath("chat.jsonl");
        File.WriteAllLines(data, ["{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"}]}"]);
        var (code, text) = CliRunner.Run("train", "--model", model, "--data", data, "--out", TestModels.TempPath("x.gguf"));
        Assert.Equal(1, code);
        Assert.Equal($"error: {model}: architecture 'gpt2' is not supported (llama, qwen2, qwen3 are)", text.Trim());
    }

    [GeneratedRegex(@"loss\s+│ (\d+\.\d+) → (\d+\.\d+)")]
    private static partial Regex LossLine();
}
