// The tokenizer training uses in the web/worker host: llama.cpp's through LLamaSharp, vocabulary only, with the
// flags inference uses (special tokens parsed, BOS as the model asks), so trained ids are the ids play sees.
// Lives here because Core must not reference LLamaSharp.
using LLama;
using LLama.Common;
using Socratic.Core.Training;
using Socratic.Training.Datasets;

namespace Socratic.Web.Training;

public sealed class LlamaTrainingTokenizer : ITrainingTokenizer
{
    private readonly LLamaWeights _weights;

    private LlamaTrainingTokenizer(LLamaWeights weights) => _weights = weights;

    public static ITrainingTokenizer Load(string modelPath) =>
        new LlamaTrainingTokenizer(LLamaWeights.LoadFromFile(new ModelParams(modelPath) { VocabOnly = true, GpuLayerCount = 0 }));

    public TokenizeFn Tokenize => (text, addBos) =>
        _weights.Tokenize(text, addBos && _weights.Vocab.ShouldAddBOS, special: true, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();

    public void Dispose() => _weights.Dispose();
}
