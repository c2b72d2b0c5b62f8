// Tokenized training data as the objectives consume it. The trainer never sees text: callers tokenize
// (LLamaSharp in the CLI and tests) and say which tokens are targets.
namespace Socratic.Training.Objectives;

/// <summary>A token sequence and a loss mask: LossMask[t] means token t is a target, predicted from tokens
/// 0..t-1 (so LossMask[0] is ignored). For chat data the mask covers the assistant turns only.</summary>
public sealed record TokenizedExample(int[] Tokens, bool[] LossMask)
{
    public static TokenizedExample FromPromptCompletion(int[] prompt, int[] completion)
    {
        var tokens = prompt.Concat(completion).ToArray();
        var mask = new bool[tokens.Length];
        for (int i = prompt.Length; i < tokens.Length; i++) mask[i] = true;
        return new TokenizedExample(tokens, mask);
    }

    /// <summary>targets[t] = Tokens[t+1] where that token is masked in, else -1 (aligned with logits rows).</summary>
    public int[] Targets()
    {
        if (LossMask.Length != Tokens.Length) throw new ArgumentException("loss mask and tokens differ in length");
        var t = new int[Tokens.Length];
        for (int i = 0; i < t.Length; i++) t[i] = i + 1 < Tokens.Length && LossMask[i + 1] ? Tokens[i + 1] : -1;
        return t;
    }

    public int TargetCount => LossMask.Skip(1).Count(m => m);
}

/// <summary>A DPO pair: the same prompt with a preferred and a dispreferred answer.</summary>
public sealed record PreferencePair(TokenizedExample Chosen, TokenizedExample Rejected);

/// <summary>One sampled completion of a group (prompt + completion, completion masked in) and its score.</summary>
public sealed record ScoredSample(TokenizedExample Sample, double Score);
