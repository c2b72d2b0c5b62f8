// Registration of the training commands, shared by Program.cs and the tests (which build a CommandApp the
// same way and run it in-process instead of spawning the socratic executable).
using Spectre.Console;
using Spectre.Console.Cli;

namespace Socratic.Cli.Training;

public static class SocraticApp
{
    /// <summary>A CommandApp with the training commands only, configured like Program.cs's. <paramref name="console"/>
    /// also receives Spectre's own messages (usage and validation errors), which otherwise go to the terminal.</summary>
    public static CommandApp Create(IAnsiConsole? console = null)
    {
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("socratic");
            if (console is not null)
            {
                c.ConfigureConsole(console);
            }

            AddTraining(c);
        });
        return app;
    }

    public static void AddTraining(IConfigurator c)
    {
        c.AddCommand<TrainCommand>("train")
            .WithDescription("Fine-tune a GGUF llama model on a JSONL dataset (sft, dpo, grpo); writes a LoRA adapter, or a whole model with --full.")
            .WithExample("train", "--model", "models/stories260K.gguf", "--data", "chats.jsonl", "--out", "out.lora.gguf", "--template", "plain");
        c.AddBranch("model", model =>
        {
            model.SetDescription("Create models.");
            model.AddCommand<ModelNewCommand>("new")
                .WithDescription("Write a random-weight llama GGUF of a preset or custom shape with a donor's tokenizer.")
                .WithExample("model", "new", "--out", "models/tiny.gguf", "--tokenizer", "models/stories260K.gguf", "--shape", "tiny");
            model.AddCommand<ModelPretrainCommand>("pretrain")
                .WithDescription("Make a small chat model from nothing: generate arithmetic game dialogues, create a random model, train it on them.")
                .WithExample("model", "pretrain", "--preset", "micro", "--out", "models/socratic-micro.gguf");
            model.AddCommand<ModelQuantizeCommand>("quantize")
                .WithDescription("Write a quantized copy of a GGUF (llama.cpp's quantizer): q8_0 by default, for playing and serving; training needs the F32 file.")
                .WithExample("model", "quantize", "--model", "models/socratic-micro.gguf", "--out", "models/socratic-micro.q8_0.gguf");
        });
        c.AddCommand<Campaign.CampaignCommand>("campaign")
            .WithDescription("The closed loop as one experiment: make and pre-train a small model on easy tasks (or --model PATH), then generations of self-play on harder tasks with grounded scoring, curation, training and held-out evaluation; writes a report with a plot.")
            .WithExample("campaign", "--preset", "micro")
            .WithExample("campaign", "--preset", "micro", "--model", "models/socratic-micro.gguf", "--generations", "2");
    }
}
