// Turns dataset records into token ids and loss masks. The trainer has no tokenizer of its own: the caller
// passes one (LLamaSharp's, so training sees exactly the ids inference will). A chat is rendered with a
// ChatFormat; the whole text is tokenized once, and the assistant spans are located by tokenizing the
// prefixes that end where each span starts and ends; where the tokenizer merges across a boundary, the
// merged token counts as a target (see CommonPrefix).
using Socratic.Training.Objectives;

namespace Socratic.Training.Datasets;

/// <summary>Text → token ids. <c>addBos</c>: prepend the model's beginning-of-sequence token.</summary>
public delegate int[] TokenizeFn(string text, bool addBos);

/// <summary>How turns are written around their content. The assistant's <see cref="TurnEnd"/> is trained on,
/// so the model learns to stop.</summary>
public sealed record ChatFormat(string SystemStart, string UserStart, string AssistantStart, string TurnEnd)
{
    /// <summary>ChatML (&lt;|im_start|&gt;role … &lt;|im_end|&gt;), what LLamaSharp falls back to without a template.</summary>
    public static ChatFormat ChatMl { get; } = new("<|im_start|>system\n", "<|im_start|>user\n", "<|im_start|>assistant\n", "<|im_end|>\n");
    /// <summary>Plain text for models without special tokens (e.g. stories260K).</summary>
    public static ChatFormat Plain { get; } = new("", "User: ", "Assistant: ", "\n");

    public string Start(string role) => role switch
    {
        "system" => SystemStart,
        "user" => UserStart,
        "assistant" => AssistantStart,
        _ => throw new ArgumentException($"unknown role {role}"),
    };

    /// <summary>A single-turn prompt ready for the assistant's answer.</summary>
    public string Prompt(string user) => UserStart + user + TurnEnd + AssistantStart;
}

public sealed class ChatEncoder(TokenizeFn tokenize, ChatFormat format, int contextLength, string source = "<dataset>")
{
    public TokenizedExample Encode(ChatRecord r)
    {
        var text = new System.Text.StringBuilder();
        var spans = new List<(int Start, int End)>(); // character spans of assistant content + end marker
        foreach (var m in r.Messages)
        {
            text.Append(format.Start(m.Role));
            int start = text.Length;
            text.Append(m.Content).Append(format.TurnEnd);
            if (m.Role == "assistant") spans.Add((start, text.Length));
        }
        string full = text.ToString();
        var tokens = Check(tokenize(full, true), r.LineNumber);
        var mask = new bool[tokens.Length];
        foreach (var (s, e) in spans)
        {
            int from = CommonPrefix(tokenize(full[..s], true), tokens);
            var upToEnd = tokenize(full[..e], true);
            int to = CommonPrefix(upToEnd, tokens);
            if (to < upToEnd.Length) to = Math.Min(tokens.Length, to + 1); // a token straddling the end is partly the answer's
            for (int i = from; i < to; i++) mask[i] = true;
        }
        if (!mask.Skip(1).Any(x => x)) throw new DatasetFormatException(source, r.LineNumber, "assistant turns tokenized to nothing");
        return new TokenizedExample(tokens, mask);
    }

    public PreferencePair Encode(PreferenceRecord r)
    {
        string prompt = format.Prompt(r.Prompt);
        return new PreferencePair(Completion(prompt, r.Chosen, r.LineNumber), Completion(prompt, r.Rejected, r.LineNumber));
    }

    public IReadOnlyList<ScoredSample> Encode(GroupRecord r)
    {
        string prompt = format.Prompt(r.Prompt);
        return r.Completions.Select(c => new ScoredSample(Completion(prompt, c.Text, r.LineNumber), c.Score)).ToList();
    }

    /// <summary>Tokens of a rendered prompt alone (for sampling GRPO groups online).</summary>
    public int[] PromptTokens(string user) => tokenize(format.Prompt(user), true);

    TokenizedExample Completion(string prompt, string completion, int line)
    {
        string full = prompt + completion + format.TurnEnd;
        var tokens = Check(tokenize(full, true), line);
        int from = CommonPrefix(tokenize(prompt, true), tokens);
        var mask = new bool[tokens.Length];
        for (int i = from; i < tokens.Length; i++) mask[i] = true;
        if (from >= tokens.Length) throw new DatasetFormatException(source, line, "empty completion");
        return new TokenizedExample(tokens, mask);
    }

    /// <summary>How many leading tokens a prefix's tokenization shares with the full text's. Tokenizers may merge
    /// across the prompt/answer boundary (a trailing space joins the next word); the merged token is then a
    /// target, since it carries answer text.</summary>
    static int CommonPrefix(int[] prefix, int[] full)
    {
        int n = 0;
        while (n < prefix.Length && n < full.Length && prefix[n] == full[n]) n++;
        return n;
    }

    int[] Check(int[] tokens, int line) => tokens.Length <= contextLength ? tokens
        : throw new DatasetFormatException(source, line, $"sequence of {tokens.Length} tokens is longer than the context of {contextLength}");
}
