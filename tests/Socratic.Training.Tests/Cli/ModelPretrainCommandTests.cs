// `socratic model pretrain` end to end on the "test" preset (a 2-layer, 32-wide model; seconds): the loss falls,
// the GGUF carries a ChatML chat template that llama.cpp (through LLamaSharp) finds and applies, and the same seed
// writes the same bytes. The committed micro model is exercised through the game engine in Socratic.Core.Tests.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LLama;
using Socratic.Training.Model;

namespace Socratic.Training.Tests.Cli;

[Collection("cli")]
public partial class ModelPretrainCommandTests
{
    static string Games => string.Join(',', new[] { "arithmetic-solo.json", "explorer-critic-arithmetic.json" }
        .Select(f => Path.Combine(TestModels.RepositoryRoot(), "games", f)));

    static (int Code, string Text) Pretrain(string output, int seed, string? dataOut = null) =>
        CliRunner.Run([
            "model", "pretrain", "--preset", "test", "--dialogues", "24", "--out", output, "--tokenizer", TestModels.Stories,
            "--games", Games, "--seed", seed.ToString(CultureInfo.InvariantCulture), .. dataOut is null ? Array.Empty<string>() : ["--data-out", dataOut],
        ]);

    [GeneratedRegex(@"loss\D+(\d+\.\d+) → (\d+\.\d+)")]
    private static partial Regex LossLine();

    [Fact]
    public void Pretraining_lowers_the_loss_and_writes_a_chat_model_llama_cpp_loads_with_its_template()
    {
        string output = TestModels.TempPath("micro-test.gguf");
        string data = TestModels.TempPath("dialogues.jsonl");
        var (code, text) = Pretrain(output, seed: 3, data);
        Assert.True(code == 0, text);

        var loss = LossLine().Match(text);
        Assert.True(loss.Success, text);
        double first = double.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture), last = double.Parse(loss.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(last < first - 0.5, $"loss {first} → {last}");
        Assert.Equal(36, File.ReadLines(data).Count()); // 12 solo + 12 critique dialogues × 2 roles

        var model = LlamaModel.Load(output);
        Assert.Equal(2, model.Config.Layers);
        Assert.Contains("<|im_start|>", model.Metadata.Single(kv => kv.Key == "tokenizer.chat_template").Value.AsString());

        // llama.cpp reads the template from the file (strict: no silent fallback) and renders ChatML with it.
        using var weights = LLamaWeights.LoadFromFile(LlamaCpp.Params(output));
        var template = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
        template.Add("user", "What is 3 + 4?");
        Assert.Equal("<|im_start|>user\nWhat is 3 + 4?<|im_end|>\n<|im_start|>assistant\n", Encoding.UTF8.GetString(template.Apply()));
        Assert.NotEmpty(LlamaCpp.Greedy(output, "<|im_start|>user\nWhat is 3 + 4?<|im_end|>\n<|im_start|>assistant\n", 4));
    }

    [Fact]
    public void Same_seed_writes_the_same_model_and_bad_game_files_are_one_line_errors()
    {
        string a = TestModels.TempPath("m.gguf"), b = TestModels.TempPath("m.gguf"); // same name: it is written into general.name
        var (codeA, textA) = Pretrain(a, seed: 5);
        Assert.True(codeA == 0, textA);
        var (codeB, textB) = Pretrain(b, seed: 5);
        Assert.True(codeB == 0, textB);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(a)), SHA256.HashData(File.ReadAllBytes(b)));

        var (code, text) = CliRunner.Run("model", "pretrain", "--preset", "test", "--out", TestModels.TempPath("c.gguf"),
            "--tokenizer", TestModels.Stories, "--games", Path.Combine(TestModels.RepositoryRoot(), "games", "story-continuation.json"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: game 'story-continuation': the dialogue generator needs arithmetic tasks", text.Trim());
    }
}
