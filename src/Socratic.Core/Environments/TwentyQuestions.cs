// Twenty Questions / secret word. The answerer alone holds the secret (the task's answer); the guesser asks
// yes/no questions ("QUESTION: is it an animal?") or names the word ("GUESS: cat"); the answerer replies
// "ANSWER: yes|no". Questions and guesses together use up MaxQuestions. The guesser sees only the parsed yes or
// no, never the answerer's raw text, so nothing but the answer passes between them. A guess matches the secret
// or one of the task's "aliases" (comma-separated field) ignoring case, a leading article and end punctuation.
// Cooperative: both roles score 1 when the word is found, 0 otherwise (also on a forfeit). Teaches asking
// informative questions and answering them faithfully.
using System.Text;
using System.Text.Json.Nodes;
using Socratic.Core.Tasks;

namespace Socratic.Core.Environments;

public sealed record TwentyQuestionsDefinition : EnvironmentDefinition
{
    public const int MaxQuestionChars = 200;

    public string Guesser { get; init; } = "guesser";

    /// <summary>The role that knows the secret.</summary>
    public string Answerer { get; init; } = "answerer";

    /// <summary>Questions and guesses the guesser may make in all.</summary>
    public int MaxQuestions { get; init; } = 20;

    public override IReadOnlyList<(string Parameter, string Role)> Seats() => [("guesser", Guesser), ("answerer", Answerer)];

    public override void ValidateParameters(Action<string, string> error)
    {
        if (MaxQuestions is < 1 or > 20)
        {
            error("$.environment.maxQuestions", "maxQuestions must be between 1 and 20");
        }
    }

    public override GameEnvironment Create(GameTask task, ulong seed) => new TwentyQuestions(this, task);
}

public sealed class TwentyQuestions : GameEnvironment
{
    private readonly TwentyQuestionsDefinition _definition;
    private readonly HashSet<string> _accepted;
    private readonly List<(string Kind, string Text, string? Reply)> _log = []; // ("question", text, yes/no) or ("guess", text, null)
    private string? _pendingQuestion;
    private bool _found;

    public TwentyQuestions(TwentyQuestionsDefinition definition, GameTask task)
        : base("twenty_questions", definition.Retries)
    {
        _definition = definition;
        if (string.IsNullOrWhiteSpace(task.Answer))
        {
            throw new InvalidOperationException($"Task '{task.Id}' has no answer; Twenty Questions needs the secret word as the task's answer.");
        }

        Secret = task.Answer.Trim();
        var aliases = task.Fields.TryGetValue("aliases", out var a) ? a.Split(',') : [];
        _accepted = [.. aliases.Append(Secret).Select(Normalize).Where(s => s.Length > 0)];
    }

    public string Secret { get; }

    public override IReadOnlyList<string> Roles => [_definition.Guesser, _definition.Answerer];

    public int QuestionsUsed => _log.Count;

    protected override bool Finished => _found || (_pendingQuestion is null && _log.Count >= _definition.MaxQuestions);

    protected override string NextRole => _pendingQuestion is null ? _definition.Guesser : _definition.Answerer;

    protected override int MaxMoves => _definition.MaxQuestions * 2;

    protected override string Result => _found ? "found" : "not_found";

    protected override string MoveFormat(string role) => role == _definition.Answerer
        ? "Reply with one line 'ANSWER: yes' or 'ANSWER: no'."
        : "Reply with one line 'QUESTION: <a yes/no question>' or 'GUESS: <the word>'.";

    protected override string Describe(string role)
    {
        var text = new StringBuilder();
        if (role == _definition.Answerer)
        {
            text.Append("You are the answerer. The secret word is: ").Append(Secret).Append(". Answer each question truthfully with yes or no.\n");
        }
        else
        {
            text.Append("You are the guesser. Find the secret word by asking yes/no questions, then guess it.\n");
        }

        text.Append($"Questions and guesses used: {_log.Count} of {_definition.MaxQuestions}.");
        for (var i = 0; i < _log.Count; i++)
        {
            var (kind, said, reply) = _log[i];
            text.Append($"\n{i + 1}. ").Append(kind == "guess" ? $"Guess: {said} (wrong)" : $"Q: {said} A: {reply ?? "…"}");
        }

        if (role == _definition.Answerer && _pendingQuestion is not null)
        {
            text.Append("\nQuestion to answer: ").Append(_pendingQuestion);
        }

        return text.ToString();
    }

    protected override string? TryMove(string role, string text)
    {
        if (role == _definition.Answerer)
        {
            var (_, value, error) = MoveText.Find(text, "ANSWER");
            if (error is not null)
            {
                return error;
            }

            var answer = MoveText.Token(value);
            if (answer is not ("yes" or "no"))
            {
                return $"'{MoveText.Short(value)}' is not yes or no";
            }

            _log[^1] = (_log[^1].Kind, _log[^1].Text, answer);
            _pendingQuestion = null;
            return null;
        }

        var (label, said, why) = MoveText.Find(text, "QUESTION", "GUESS");
        if (why is not null)
        {
            return why;
        }

        if (said.Length > TwentyQuestionsDefinition.MaxQuestionChars)
        {
            return $"a {label!.ToLowerInvariant()} must be at most {TwentyQuestionsDefinition.MaxQuestionChars} characters";
        }

        if (label == "GUESS")
        {
            _found = _accepted.Contains(Normalize(said));
            _log.Add(("guess", said, null));
            return null;
        }

        _pendingQuestion = said;
        _log.Add(("question", said, null));
        return null;
    }

    protected override IReadOnlyDictionary<string, double> FinalScores()
    {
        var value = _found ? 1.0 : 0.0;
        return new Dictionary<string, double>(StringComparer.Ordinal) { [_definition.Guesser] = value, [_definition.Answerer] = value };
    }

    // Cooperative: a forfeit by either role is a loss for both.
    protected override IReadOnlyDictionary<string, double> ForfeitScores(string forfeiter) =>
        Roles.ToDictionary(r => r, _ => 0.0, StringComparer.Ordinal);

    protected override void Report(JsonObject details)
    {
        details["secret"] = Secret;
        details["questionsUsed"] = _log.Count;
        details["log"] = new JsonArray([.. _log.Select(e => (JsonNode)new JsonObject { ["kind"] = e.Kind, ["text"] = e.Text, ["reply"] = e.Reply })]);
    }

    private static string Normalize(string word)
    {
        var w = MoveText.Token(word).Trim('"', '\'', '?').Trim();
        foreach (var article in (string[])["a ", "an ", "the "])
        {
            if (w.StartsWith(article, StringComparison.Ordinal))
            {
                w = w[article.Length..].TrimStart();
            }
        }

        return w;
    }
}
