// The tokenizer training uses: llama.cpp's, loaded vocabulary-only through LLamaSharp, with the same flags
// inference uses (special tokens parsed, BOS as the model asks), so trained ids are the ids play will see.
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Socratic.Cli.Hosting;
using Socratic.Training.Datasets;

namespace Socratic.Cli.Training;

public sealed class LlamaTokenizer : IDisposable
{
    private readonly LLamaWeights weights;

    private LlamaTokenizer(LLamaWeights weights) => this.weights = weights;

    public static LlamaTokenizer Load(string modelPath)
    {
        // llama.cpp logs every load to stderr; the callback can only be set before the library loads. Errors
        // still arrive as exceptions, so dropping the log loses nothing the user needs.
        if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            NativeLibraryConfig.All.WithLogCallback((_, _) => { });
        }

        try
        {
            return new LlamaTokenizer(LLamaWeights.LoadFromFile(new ModelParams(modelPath) { VocabOnly = true, GpuLayerCount = 0 }));
        }
        catch (LoadWeightsFailedException)
        {
            throw new CliException($"{modelPath}: llama.cpp could not read the tokenizer (not a GGUF model?)");
        }
    }

    public TokenizeFn Tokenize => (text, addBos) =>
        weights.Tokenize(text, addBos && weights.Vocab.ShouldAddBOS, special: true, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();

    public void Dispose() => weights.Dispose();
}
