// Loading, caching and failure modes of model files and chat templates.
using Socratic.Core.Policies;
using Socratic.Inference;

namespace Socratic.Core.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class ModelLoadingTests : IDisposable
{
    private readonly string tempDir = Directory.CreateTempSubdirectory("socratic-models-").FullName;

    private static InferenceOptions Small => new() { ContextSize = 256, MaxSequences = 2, BatchSize = 256, Threads = 1 };

    [Fact]
    public async Task Two_gets_for_the_same_path_share_one_loaded_model()
    {
        await using var provider = new LlamaPolicyProvider(Small);

        var first = (LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var again = (LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var otherTemplate = (LlamaPolicy)await provider.GetAsync(
            InferenceFixture.Stories with { ChatTemplate = "llama2" }, CancellationToken.None);

        Assert.Same(first, again);
        Assert.NotSame(first, otherTemplate);
        Assert.Same(first.Model, otherTemplate.Model);
        Assert.Equal(1, provider.ModelLoadCount);
        Assert.Equal(1, provider.ContextCount);
    }

    [Fact]
    public async Task Concurrent_gets_load_the_model_once()
    {
        await using var provider = new LlamaPolicyProvider(Small);

        var policies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => provider.GetAsync(InferenceFixture.Stories, CancellationToken.None))));

        Assert.All(policies, p => Assert.Same(policies[0], p));
        Assert.Equal(1, provider.ModelLoadCount);
    }

    [Fact]
    public async Task Truncated_model_fails_with_model_load_exception_naming_the_file()
    {
        var path = Path.Combine(tempDir, "half.gguf");
        var bytes = await File.ReadAllBytesAsync(TestModels.Stories260K);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            provider.GetAsync(new PolicySpec(path) { ChatTemplate = "chatml" }, CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.ModelPath);
        Assert.Equal(0, provider.ModelLoadCount);
    }

    [Fact]
    public async Task Non_gguf_file_fails_with_model_load_exception_before_native_code()
    {
        var path = Path.Combine(tempDir, "notes.gguf");
        await File.WriteAllTextAsync(path, "this is not a model");
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            provider.GetAsync(new PolicySpec(path) { ChatTemplate = "chatml" }, CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("GGUF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_model_fails_with_model_load_exception_naming_the_file()
    {
        var path = Path.Combine(tempDir, "absent.gguf");
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            provider.GetAsync(new PolicySpec(path) { ChatTemplate = "chatml" }, CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public async Task Missing_lora_adapter_fails_with_model_load_exception_naming_the_adapter()
    {
        var adapter = Path.Combine(tempDir, "absent-lora.gguf");
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            provider.GetAsync(InferenceFixture.Stories with { AdapterPath = adapter }, CancellationToken.None));

        Assert.Contains(adapter, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_without_template_and_no_explicit_template_is_a_clear_error()
    {
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            provider.GetAsync(new PolicySpec(TestModels.Stories260K), CancellationToken.None));

        Assert.Contains("no chat template", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChatTemplate", error.Message, StringComparison.Ordinal);
        Assert.Contains(TestModels.Stories260K, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_template_name_is_a_clear_error()
    {
        await using var provider = new LlamaPolicyProvider(Small);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            provider.GetAsync(InferenceFixture.Stories with { ChatTemplate = "no-such-template" }, CancellationToken.None));

        Assert.Contains("no-such-template", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stories260K.gguf")]
    [InlineData("llama-2-tiny-random.gguf")]
    public async Task Both_shared_models_load_and_generate(string file)
    {
        await using var provider = new LlamaPolicyProvider(Small);
        var policy = await provider.GetAsync(
            new PolicySpec(Path.Combine(TestModels.Directory, file)) { ChatTemplate = "chatml" }, CancellationToken.None);
        var pieces = new List<string>();

        var result = await policy.GenerateAsync(
            InferenceFixture.Ask("Hello there"), new SamplingSettings { Temperature = 0, MaxTokens = 16 }, pieces.Add, CancellationToken.None);

        Assert.True(result.CompletionTokens > 0);
        Assert.Equal(result.Text, string.Concat(pieces));
    }

    [Fact]
    public async Task Chatml_prompt_is_what_the_model_reads()
    {
        await using var provider = new LlamaPolicyProvider(Small);
        var policy = (LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);

        var prompt = policy.FormatPrompt([new ChatMessage(ChatRole.System, "Be kind."), new ChatMessage(ChatRole.User, "Hi")]);

        Assert.Equal("<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public async Task Jinja_template_string_works_as_an_explicit_template()
    {
        const string chatmlJinja =
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
            "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
        await using var provider = new LlamaPolicyProvider(Small);
        var named = (LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories, CancellationToken.None);
        var jinja = (LlamaPolicy)await provider.GetAsync(InferenceFixture.Stories with { ChatTemplate = chatmlJinja }, CancellationToken.None);
        IReadOnlyList<ChatMessage> messages = [new ChatMessage(ChatRole.System, "Be kind."), new ChatMessage(ChatRole.User, "Hi")];

        Assert.Equal(named.FormatPrompt(messages), jinja.FormatPrompt(messages));
    }

    public void Dispose() => Directory.Delete(tempDir, recursive: true);
}
