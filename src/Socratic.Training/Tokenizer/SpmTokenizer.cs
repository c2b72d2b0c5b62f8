// SentencePiece-style tokenizer built from GGUF metadata (tokenizer.ggml.model = "llama"), following
// llama.cpp's SPM procedure so ids match inference: spaces become "▁" (with one leading space when
// tokenizer.ggml.add_space_prefix, default true), characters are merged greedily by the score of the merged
// piece (highest first, leftmost on ties), and pieces missing from the vocabulary fall back to <0xXX> bytes.
// Special/control tokens in the text are not parsed (the text is taken literally).
using System.Text;
using Socratic.Training.Gguf;

namespace Socratic.Training.Tokenizer;

public sealed class SpmTokenizer
{
    readonly string[] _pieces;
    readonly float[] _scores;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly int[] _byteIds = new int[256];
    readonly bool _addSpacePrefix;
    public int Bos { get; }
    public int Eos { get; }
    public int VocabSize => _pieces.Length;

    public SpmTokenizer(string[] pieces, float[] scores, int bos, int eos, bool addSpacePrefix = true)
    {
        _pieces = pieces; _scores = scores; Bos = bos; Eos = eos; _addSpacePrefix = addSpacePrefix;
        for (int i = 0; i < pieces.Length; i++) _ids.TryAdd(pieces[i], i);
        for (int b = 0; b < 256; b++) _byteIds[b] = _ids.GetValueOrDefault($"<0x{b:X2}>", -1);
    }

    public static SpmTokenizer FromGguf(GgufFile f)
    {
        string model = f.GetString("tokenizer.ggml.model");
        if (model != "llama") throw new NotSupportedException($"{f.Path}: tokenizer '{model}' is not supported (SentencePiece 'llama' is)");
        var pieces = (string[])f.Get("tokenizer.ggml.tokens")!.Value;
        var scores = f.Get("tokenizer.ggml.scores")?.Value as float[] ?? new float[pieces.Length];
        bool prefix = f.Get("tokenizer.ggml.add_space_prefix")?.Value as bool? ?? true;
        return new SpmTokenizer(pieces, scores, (int)f.GetLong("tokenizer.ggml.bos_token_id", 1), (int)f.GetLong("tokenizer.ggml.eos_token_id", 2), prefix);
    }

    public static SpmTokenizer FromGguf(string path) => FromGguf(GgufFile.Read(path));

    /// <summary>Adapter for <see cref="Datasets.ChatEncoder"/>.</summary>
    public int[] Tokenize(string text, bool addBos) => Encode(text, addBos);

    public int[] Encode(string text, bool addBos)
    {
        var output = new List<int>();
        if (addBos) output.Add(Bos);
        if (text.Length == 0) return [.. output];
        string s = ((_addSpacePrefix ? " " : "") + text).Replace(' ', '\u2581');

        // Symbols: one per Unicode scalar (surrogate pairs kept together), as a doubly linked list.
        var syms = new List<(int Start, int Len)>();
        for (int i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
            syms.Add((i, char.IsSurrogatePair(s, i) ? 2 : 1));
        int n = syms.Count;
        var start = new int[n];
        var len = new int[n];
        var prev = new int[n];
        var next = new int[n];
        for (int i = 0; i < n; i++) { start[i] = syms[i].Start; len[i] = syms[i].Len; prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; }

        // Max-heap on (score, -left): best-scoring merge first, leftmost on ties.
        var queue = new PriorityQueue<(int Left, int Right, int Size), (float Score, int Left)>(
            Comparer<(float Score, int Left)>.Create((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left)));
        void TryAdd(int left, int right)
        {
            if (left < 0 || right < 0) return;
            string piece = s.Substring(start[left], len[left] + len[right]);
            if (!_ids.TryGetValue(piece, out int id)) return;
            queue.Enqueue((left, right, piece.Length), (_scores[id], left));
        }
        for (int i = 1; i < n; i++) TryAdd(i - 1, i);
        while (queue.TryDequeue(out var bg, out _))
        {
            if (len[bg.Left] == 0 || len[bg.Right] == 0 || len[bg.Left] + len[bg.Right] != bg.Size) continue; // stale
            len[bg.Left] += len[bg.Right];
            len[bg.Right] = 0;
            next[bg.Left] = next[bg.Right];
            if (next[bg.Right] >= 0) prev[next[bg.Right]] = bg.Left;
            TryAdd(prev[bg.Left], bg.Left);
            TryAdd(bg.Left, next[bg.Left]);
        }
        // Every merged symbol is a vocabulary piece (merges only form pieces); a leftover single character
        // missing from the vocabulary becomes its UTF-8 bytes.
        for (int i = 0; i != -1 && i < n; i = next[i])
        {
            string piece = s.Substring(start[i], len[i]);
            if (_ids.TryGetValue(piece, out int id))
            {
                output.Add(id);
                continue;
            }
            foreach (var b in Encoding.UTF8.GetBytes(piece))
            {
                int bid = _byteIds[b];
                if (bid < 0) throw new InvalidOperationException($"byte 0x{b:X2} has no token and '{piece}' is not in the vocabulary");
                output.Add(bid);
            }
        }
        return [.. output];
    }

    /// <summary>Text of token ids (byte tokens reassembled as UTF-8, "▁" back to spaces, one leading space
    /// dropped when the tokenizer adds it). BOS/EOS are skipped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id == Bos || id == Eos) continue;
            string p = _pieces[id];
            if (p.Length == 6 && p.StartsWith("<0x", StringComparison.Ordinal) && p.EndsWith('>'))
                bytes.Add(Convert.ToByte(p.Substring(3, 2), 16));
            else bytes.AddRange(Encoding.UTF8.GetBytes(p.Replace('\u2581', ' ')));
        }
        string text = Encoding.UTF8.GetString(bytes.ToArray());
        return _addSpacePrefix && text.StartsWith(' ') ? text[1..] : text;
    }
}
