// Named model shapes for `socratic model new`. Vocabulary size is not part of a shape: it comes from the
// tokenizer donor. SmolLM2-135M's numbers are its published config; "tiny" is sized to train in seconds on 2 cores.
using Socratic.Training;

namespace Socratic.Cli.Training;

public static class ModelShapes
{
    /// <summary>A few MB with a 512-token vocabulary (tens of MB with a 32K one).</summary>
    public static ModelShape Tiny { get; } = new(Dim: 128, Layers: 4, Heads: 4, KvHeads: 2, FfnDim: 384, ContextLength: 512);

    /// <summary>SmolLM2-135M: 30 layers, dim 576, 9 heads (3 kv), ffn 1536, context 2048, tied embeddings.</summary>
    public static ModelShape SmolLm2_135M { get; } = new(Dim: 576, Layers: 30, Heads: 9, KvHeads: 3, FfnDim: 1536, ContextLength: 2048,
        RopeBase: 100000f, TiedOutput: true);

    public static ModelShape? Preset(string name) => name switch
    {
        "tiny" => Tiny,
        "smollm2-135m" => SmolLm2_135M,
        _ => null,
    };

    /// <summary>ChatML as a Jinja chat template, matching ChatFormat.ChatMl (what `train --template chatml` renders).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public static string Human(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:0.##}G",
        >= 1_000_000 => $"{n / 1e6:0.##}M",
        >= 1_000 => $"{n / 1e3:0.##}K",
        _ => n.ToString(),
    };
}
