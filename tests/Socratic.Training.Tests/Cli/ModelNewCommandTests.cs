// `socratic model new`: the written GGUF is a llama model llama.cpp (through LLamaSharp) loads and decodes.
using Socratic.Training.Model;

namespace Socratic.Training.Tests.Cli;

[Collection("cli")]
public class ModelNewCommandTests
{
    [Fact]
    public void Tiny_model_with_a_donor_tokenizer_loads_in_llama_cpp_and_generates()
    {
        string output = TestModels.TempPath("tiny.gguf");
        var (code, text) = CliRunner.Run("model", "new", "--out", output, "--tokenizer", TestModels.Stories, "--shape", "tiny", "--seed", "7");
        Assert.True(code == 0, text);
        Assert.Contains("4 layers, dim 128, 4 heads, 2 kv heads, ffn 384, context 512, vocab 512", text);
        var model = LlamaModel.Load(output);
        long parameters = model.BaseParams().Sum(p => (long)p.Data.Length);
        Assert.Contains($"parameters {parameters:N0}", text);

        var tokens = LlamaCpp.Tokenize(output, "Once upon a time");
        var logits = LlamaCpp.Logits(output, tokens);
        Assert.Equal(tokens.Length * 512, logits.Length);
        Assert.All(logits, l => Assert.True(float.IsFinite(l)));
        // Our forward pass and llama.cpp's agree on the new file, so it was written the way llama.cpp reads it.
        var ours = model.Logits(tokens);
        double scale = Math.Max(1, ours.Max(Math.Abs));
        Assert.True(ours.Zip(logits, (a, b) => Math.Abs(a - b)).Max() <= 1e-4 * scale);
        Assert.NotEmpty(LlamaCpp.Greedy(output, "Once upon a time", 8));
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void Qwen_models_are_written_with_their_architecture_and_llama_cpp_agrees_with_the_trainer(string arch)
    {
        string output = TestModels.TempPath(arch + ".gguf");
        var (code, text) = CliRunner.Run("model", "new", "--out", output, "--tokenizer", TestModels.Stories, "--arch", arch,
            "--shape", "custom", "--layers", "2", "--dim", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "64", "--context", "128");
        Assert.True(code == 0, text);
        Assert.Contains($"{arch}, 2 layers, dim 32", text);
        var model = LlamaModel.Load(output);
        Assert.Equal(arch, model.Config.Arch);
        var tokens = LlamaCpp.Tokenize(output, "Once upon a time");
        var logits = LlamaCpp.Logits(output, tokens);
        var ours = model.Logits(tokens);
        Assert.True(ours.Zip(logits, (a, b) => Math.Abs(a - b)).Max() <= 1e-4 * Math.Max(1, ours.Max(Math.Abs)));

        (code, text) = CliRunner.Run("model", "new", "--out", output, "--tokenizer", TestModels.Stories, "--arch", "gpt2");
        Assert.NotEqual(0, code);
        Assert.Contains("--arch must be one of llama, qwen2, qwen3", text);
    }

    [Fact]
    public void Custom_shape_needs_every_dimension_and_bad_donors_are_one_line_errors()
    {
        var (code, text) = CliRunner.Run("model", "new", "--out", TestModels.TempPath("x.gguf"), "--tokenizer", TestModels.Stories, "--shape", "custom", "--layers", "2");
        Assert.NotEqual(0, code);
        Assert.Contains("--shape custom needs", text);

        (code, text) = CliRunner.Run("model", "new", "--out", TestModels.TempPath("x.gguf"), "--tokenizer", "/nonexistent/donor.gguf");
        Assert.Equal(1, code);
        Assert.StartsWith("error: Tokenizer donor not found", text.Trim());
    }
}
