// `socratic model quantize` underneath: llama.cpp's quantizer on the committed F32 model writes a Q8_0 file about a
// quarter the size that still loads and plays its game (format and end marker intact), and bad input fails with the
// file named and leaves neither an output nor a partial file behind.
using Socratic.Core.Policies;
using Socratic.Inference;
using Socratic.Inference.Models;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class QuantizerTests : IDisposable
{
    private readonly string tempDir = Directory.CreateTempSubdirectory("socratic-quantize-").FullName;

    private static IReadOnlyList<ChatMessage> Sum(string expression) =>
    [
        new(ChatRole.System, "You solve arithmetic problems. Work it out one step per line, then finish with a final line \"Answer: <number>\"."),
        new(ChatRole.User, $"What is {expression}?"),
    ];

    [Fact]
    public async Task A_q8_0_copy_is_a_third_of_the_size_or_less_and_still_writes_the_answer_format()
    {
        var output = Path.Combine(tempDir, "micro.q8_0.gguf");

        ModelQuantizer.Quantize(TestModels.SocraticMicro, output, "q8_0", threads: 1);

        Assert.InRange(new FileInfo(output).Length, 1, new FileInfo(TestModels.SocraticMicro).Length / 3);
        Assert.Empty(Directory.GetFiles(tempDir, "*.partial"));
        await using var provider = new LlamaPolicyProvider(new InferenceOptions { ContextSize = 256, MaxSequences = 1, Threads = 1 });
        var policy = await provider.GetAsync(new PolicySpec(output), CancellationToken.None);
        foreach (var expression in new[] { "3 + 4", "2 + 6", "5 + 1" })
        {
            var result = await policy.GenerateAsync(Sum(expression), new SamplingSettings { Temperature = 0, MaxTokens = 64 }, null, CancellationToken.None);
            Assert.Equal(FinishReason.Stop, result.FinishReason);
            Assert.Matches(@"(?m)^Answer: \d+$", result.Text);
        }
    }

    [Fact]
    public void A_truncated_model_fails_naming_the_file_and_writes_nothing()
    {
        var input = Path.Combine(tempDir, "half.gguf");
        var bytes = File.ReadAllBytes(TestModels.SocraticMicro);
        File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);
        var output = Path.Combine(tempDir, "out.gguf");

        var error = Assert.Throws<ModelLoadException>(() => ModelQuantizer.Quantize(input, output, "q8_0", threads: 1));

        Assert.Contains(input, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(tempDir, "*.partial"));
    }

    [Fact]
    public void An_unknown_type_is_refused_before_anything_is_read()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ModelQuantizer.Quantize(TestModels.SocraticMicro, Path.Combine(tempDir, "x.gguf"), "q3_x", threads: 1));

        Assert.Contains("q8_0", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(tempDir, recursive: true);
}
