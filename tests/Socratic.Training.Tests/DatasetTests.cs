// JSONL readers and the chat encoder: valid lines parse, bad lines fail naming their line, assistant tokens
// (and only they) are targets, and over-long sequences are refused.
using Socratic.Training.Datasets;

namespace Socratic.Training.Tests;

public class DatasetTests
{
    static TokenizeFn StoriesTokenizer => (text, bos) => LlamaCpp.Tokenize(TestModels.Stories, text, bos);

    [Fact]
    public void Chat_lines_parse_and_blank_lines_are_skipped()
    {
        var recs = ChatJsonl.ReadChat(new StringReader(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"}]}\n\n" +
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be kind\"},{\"role\":\"user\",\"content\":\"A\"},{\"role\":\"assistant\",\"content\":\"B\"}]}\n"));
        Assert.Equal(2, recs.Count);
        Assert.Equal(3, recs[1].LineNumber);
        Assert.Equal(new ChatMessage("assistant", "Hello."), recs[0].Messages[1]);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "no assistant turn")]
    [InlineData("{\"messages\": [", "invalid JSON")]
    [InlineData("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "unknown role")]
    [InlineData("[1,2]", "expected a JSON object")]
    public void Bad_chat_line_fails_with_its_line_number(string bad, string problem)
    {
        var good = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Yo\"}]}";
        var e = Assert.Throws<DatasetFormatException>(() => ChatJsonl.ReadChat(new StringReader(good + "\n" + good + "\n" + bad + "\n"), "data.jsonl"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("data.jsonl:3", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Preference_and_group_lines_parse_and_validate()
    {
        var prefs = ChatJsonl.ReadPreferences(new StringReader("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}"));
        Assert.Equal(new PreferenceRecord(1, "p", "a", "b"), prefs[0]);
        var groups = ChatJsonl.ReadGroups(new StringReader("{\"prompt\":\"p\",\"completions\":[{\"text\":\"a\",\"score\":1},{\"text\":\"b\",\"score\":0.25}]}"));
        Assert.Equal(0.25, groups[0].Completions[1].Score);
        var e = Assert.Throws<DatasetFormatException>(() => ChatJsonl.ReadPreferences(new StringReader("\n{\"prompt\":\"p\",\"chosen\":\"a\"}")));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("rejected", e.Message);
        Assert.Throws<DatasetFormatException>(() => ChatJsonl.ReadGroups(new StringReader("{\"prompt\":\"p\",\"completions\":[{\"text\":\"a\",\"score\":1}]}")));
    }

    [Fact]
    public void Encoder_masks_exactly_the_assistant_turns()
    {
        var rec = new ChatRecord(1, [new("user", "Who is Tom?"), new("assistant", "Tom is a boy."), new("user", "And Lily?"), new("assistant", "Lily is a girl.")]);
        var enc = new ChatEncoder(StoriesTokenizer, ChatFormat.Plain, 512);
        var ex = enc.Encode(rec);
        var tokens = StoriesTokenizer("User: Who is Tom?\nAssistant: Tom is a boy.\nUser: And Lily?\nAssistant: Lily is a girl.\n", true);
        Assert.Equal(tokens, ex.Tokens);
        // Targets start where the text stops agreeing with the prompt-only tokenization (SentencePiece merges the
        // space after "Assistant:" into the answer's first token) and run through the turn's closing newline.
        static int Agree(int[] a, int[] b) => a.Zip(b).TakeWhile(p => p.First == p.Second).Count();
        var masked = ex.Tokens.Where((_, i) => ex.LossMask[i]).ToArray();
        int s1 = Agree(StoriesTokenizer("User: Who is Tom?\nAssistant: ", true), tokens);
        int e1 = StoriesTokenizer("User: Who is Tom?\nAssistant: Tom is a boy.\n", true).Length;
        int s2 = Agree(StoriesTokenizer("User: Who is Tom?\nAssistant: Tom is a boy.\nUser: And Lily?\nAssistant: ", true), tokens);
        for (int i = 0; i < tokens.Length; i++)
            Assert.True(((i >= s1 && i < e1) || i >= s2) == ex.LossMask[i], $"mask[{i}] = {ex.LossMask[i]}");
        Assert.Equal(e1 - s1 + tokens.Length - s2, masked.Length);
        Assert.True(masked.Length >= 8);
    }

    [Fact]
    public void Encoder_refuses_sequences_longer_than_the_context_naming_the_line()
    {
        var rec = new ChatRecord(7, [new("user", string.Join(" ", Enumerable.Repeat("Once upon a time", 30))), new("assistant", "The end.")]);
        var e = Assert.Throws<DatasetFormatException>(() => new ChatEncoder(StoriesTokenizer, ChatFormat.Plain, 64, "train.jsonl").Encode(rec));
        Assert.Equal(7, e.LineNumber);
        Assert.Contains("longer than the context of 64", e.Message);
    }

    [Fact]
    public void Encoder_builds_preference_pairs_and_groups_with_the_completion_as_target()
    {
        var enc = new ChatEncoder(StoriesTokenizer, ChatFormat.Plain, 512);
        var pair = enc.Encode(new PreferenceRecord(1, "Color?", "Red.", "Blue."));
        int promptLen = Array.IndexOf(pair.Chosen.LossMask, true);
        Assert.InRange(promptLen, enc.PromptTokens("Color?").Length - 1, enc.PromptTokens("Color?").Length); // the trailing space may merge
        Assert.Equal(enc.PromptTokens("Color?")[..promptLen], pair.Chosen.Tokens[..promptLen]);
        int shared = Math.Min(promptLen, Array.IndexOf(pair.Rejected.LossMask, true));
        Assert.Equal(pair.Chosen.Tokens[..shared], pair.Rejected.Tokens[..shared]);
        Assert.All(pair.Chosen.LossMask[..promptLen], Assert.False);
        Assert.All(pair.Chosen.LossMask[promptLen..], Assert.True);
        var group = enc.Encode(new GroupRecord(2, "Say hi", [new("hi", 1), new("no", 0)]));
        Assert.Equal([1.0, 0.0], group.Select(s => s.Score));
    }
}
