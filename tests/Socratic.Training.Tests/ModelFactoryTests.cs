// Models made from nothing and whole-model saves load in llama.cpp and compute what the trainer computes.
using Socratic.Training.Gguf;
using Socratic.Training.Model;
using Socratic.Training.Objectives;

namespace Socratic.Training.Tests;

public class ModelFactoryTests
{
    const string ChatMl = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";

    static void AssertLogitsMatch(float[] expected, float[] actual, double tol = 1e-4)
    {
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(diff <= tol * scale, $"max |Δlogit| {diff:g4} at scale {scale:g4}");
    }

    [Fact]
    public void CreateLlama_writes_a_random_model_with_the_donor_tokenizer_that_llama_cpp_runs_identically()
    {
        string path = TestModels.TempPath("new.gguf");
        var shape = new ModelShape(Dim: 32, Layers: 2, Heads: 4, KvHeads: 2, FfnDim: 64, ContextLength: 256);
        ModelFactory.CreateLlama(shape, TestModels.Stories, seed: 1, chatTemplate: ChatMl, outputPath: path);

        var f = GgufFile.Read(path);
        var donor = GgufFile.Read(TestModels.Stories);
        Assert.Equal(ChatMl, f.GetString("tokenizer.chat_template"));
        Assert.Equal((string[])donor.Get("tokenizer.ggml.tokens")!.Value, (string[])f.Get("tokenizer.ggml.tokens")!.Value);
        Assert.Equal(donor.GetString("tokenizer.ggml.model"), f.GetString("tokenizer.ggml.model"));
        Assert.Equal(2, f.GetLong("llama.attention.head_count_kv"));

        string text = "Once upon a time there was a dog.";
        var tokens = LlamaCpp.Tokenize(path, text);
        Assert.Equal(LlamaCpp.Tokenize(TestModels.Stories, text), tokens);
        AssertLogitsMatch(LlamaModel.Load(path).Logits(tokens), LlamaCpp.Logits(path, tokens));
    }

    [Fact]
    public void Full_fine_tuned_model_saved_as_GGUF_gives_the_trainer_logits_in_llama_cpp()
    {
        string basePath = TestModels.TempPath("base.gguf");
        ModelFactory.CreateLlama(new ModelShape(Dim: 32, Layers: 2, Heads: 4, KvHeads: 4, FfnDim: 48, TiedOutput: true),
            TestModels.Stories, seed: 2, chatTemplate: null, outputPath: basePath);
        var model = LlamaModel.Load(basePath);
        Assert.True(model.TiedOutput);
        var tokens = LlamaCpp.Tokenize(basePath, "The cat sat on the mat.");
        var ex = TokenizedExample.FromPromptCompletion(tokens[..3], tokens[3..]);
        var trainer = new Trainer(model, new TrainerConfig(Mode: TrainingMode.Full, LearningRate: 1e-2f, TotalSteps: 10));
        double before = Sft.Loss(model, ex);
        for (int i = 0; i < 10; i++) trainer.TrainSft([ex]);
        Assert.True(Sft.Loss(model, ex) < before);

        string outPath = TestModels.TempPath("tuned.gguf");
        trainer.SaveModel(outPath, "tuned");
        Assert.Null(GgufFile.Read(outPath).FindTensor("output.weight")); // still tied
        AssertLogitsMatch(model.Logits(tokens), LlamaCpp.Logits(outPath, tokens));
    }

    [Fact]
    public void Lora_merged_into_the_base_and_saved_gives_the_trainer_logits_in_llama_cpp()
    {
        var model = LlamaModel.Load(TestModels.Stories);
        var tokens = LlamaCpp.Tokenize(TestModels.Stories, "Tom saw a bird.");
        var ex = TokenizedExample.FromPromptCompletion(tokens[..2], tokens[2..]);
        var trainer = new Trainer(model, new TrainerConfig(Lora: new LoraConfig(Rank: 2, Alpha: 4, Targets: ["attn_v", "ffn_up"]), LearningRate: 1e-2f));
        for (int i = 0; i < 5; i++) trainer.TrainSft([ex]);
        string outPath = TestModels.TempPath("merged.gguf");
        trainer.SaveModel(outPath);
        Assert.Equal(10, model.Lora.Count); // the trainer keeps its adapters
        AssertLogitsMatch(model.Logits(tokens), LlamaCpp.Logits(outPath, tokens));
    }
}

public class ModelFactoryTemplateTests
{
    [Fact]
    public void Without_a_template_the_donor_template_is_kept_and_a_given_one_replaces_it()
    {
        string donorPath = TestModels.TempPath("donor.gguf");
        ModelFactory.CreateLlama(new ModelShape(Dim: 16, Layers: 1, Heads: 2, KvHeads: 2, FfnDim: 32), TestModels.Stories, 1, "{{ donor }}", donorPath);
        string keep = TestModels.TempPath("keep.gguf"), replace = TestModels.TempPath("replace.gguf"), none = TestModels.TempPath("none.gguf");
        var shape = new ModelShape(Dim: 16, Layers: 1, Heads: 2, KvHeads: 2, FfnDim: 32);
        ModelFactory.CreateLlama(shape, donorPath, 2, null, keep);
        ModelFactory.CreateLlama(shape, donorPath, 2, "{{ mine }}", replace);
        ModelFactory.CreateLlama(shape, TestModels.Stories, 2, null, none);
        Assert.Equal("{{ donor }}", Gguf.GgufFile.Read(keep).GetString("tokenizer.chat_template"));
        Assert.Equal("{{ mine }}", Gguf.GgufFile.Read(replace).GetString("tokenizer.chat_template"));
        Assert.False(Gguf.GgufFile.Read(none).Has("tokenizer.chat_template"));
        Assert.Single(Gguf.GgufFile.Read(replace).Metadata, kv => kv.Key == "tokenizer.chat_template");
    }
}
