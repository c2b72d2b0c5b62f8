// The `socratic` command: play games on a model (storing them when a database is configured), benchmarks, training.
using Socratic.Cli.Bench;
using Socratic.Cli.Evaluation;
using Socratic.Cli.Play;
using Socratic.Cli.Training;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("socratic");
    c.AddCommand<PlayCommand>("play")
        .WithDescription("Play episodes of a game on a GGUF model; prints transcripts and scores, and stores them when a database is configured.")
        .WithExample("play", "--game", "games/story-continuation.json", "--model", "models/stories260K.gguf", "--episodes", "4");
    c.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks that print ratios against a reference measured in the same run.");
        bench.AddCommand<BenchSelfPlayCommand>("selfplay")
            .WithDescription("Tokens/s of raw LLamaSharp decoding vs the engine playing K concurrent episodes.");
        bench.AddCommand<BenchTrainCommand>("train")
            .WithDescription("Trainer LoRA tokens/s vs llama.cpp prompt processing on the same tokens, their ratio, peak memory.");
    });
    SocraticApp.AddTraining(c);
    EvaluationCommands.AddEvaluation(c);
});
return await app.RunAsync(args);
