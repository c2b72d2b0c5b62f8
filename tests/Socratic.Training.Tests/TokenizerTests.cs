// The optional in-library SentencePiece tokenizer gives llama.cpp's ids on both test vocabularies.
using Socratic.Training.Tokenizer;

namespace Socratic.Training.Tests;

public class TokenizerTests
{
    public static TheoryData<string> Texts => new()
    {
        "Once upon a time, there was a little girl named Lily.",
        "User: Who is Tom?\nAssistant: Tom is a boy.\n",
        "  two leading spaces and trailing  ",
        "Numbers 12345 and symbols #@!%&*()[]{}<>",
        "Unicode: café, naïve, 日本語, emoji 🙂.",
        "<|im_start|>user\nHi<|im_end|>\n",
        "a",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Spm_tokenizer_matches_llama_cpp_on_stories260K(string text) =>
        Assert.Equal(LlamaCpp.Tokenize(TestModels.Stories, text), SpmTokenizer.FromGguf(TestModels.Stories).Encode(text, addBos: true));

    [Theory]
    [MemberData(nameof(Texts))]
    public void Spm_tokenizer_matches_llama_cpp_on_the_llama_2_vocabulary(string text) =>
        Assert.Equal(LlamaCpp.Tokenize(TestModels.TinyRandom, text), SpmTokenizer.FromGguf(TestModels.TinyRandom).Encode(text, addBos: true));

    [Fact]
    public void Decode_inverts_encode()
    {
        var tok = SpmTokenizer.FromGguf(TestModels.TinyRandom);
        const string text = "Hello world, café 🙂\nnext line";
        Assert.Equal(text, tok.Decode(tok.Encode(text, true)));
    }
}
