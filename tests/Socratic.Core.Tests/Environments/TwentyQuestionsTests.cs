// Twenty Questions rules with scripted replies: the word found (with articles and aliases), not found when the
// questions run out, only parsed yes/no reaching the guesser, and the secret never in the guesser's view.
using Socratic.Core.Environments;
using Socratic.Core.Tasks;
using static Socratic.Core.Tests.Environments.EnvironmentKit;

namespace Socratic.Core.Tests.Environments;

public class TwentyQuestionsTests
{
    private static readonly GameTask Cat = new("cat", "The secret is an animal.", "cat") { Fields = new Dictionary<string, string> { ["aliases"] = "kitten, kitty" } };

    private static TwentyQuestions New(GameTask? task = null, int maxQuestions = 3) =>
        (TwentyQuestions)new TwentyQuestionsDefinition { MaxQuestions = maxQuestions }.Create(task ?? Cat, 1);

    [Theory]
    [InlineData("GUESS: cat")]
    [InlineData("GUESS: A Cat.")]
    [InlineData("guess: kitten!")]
    public void Naming_the_word_or_an_alias_wins_for_both_roles(string guess)
    {
        var game = New();

        SubmitAll(game, ("guesser", "QUESTION: Does it purr?"), ("answerer", "ANSWER: yes"), ("guesser", guess));

        var outcome = game.Outcome();
        Assert.Equal("game_over:found", outcome.EndReason);
        Assert.Equal(1.0, outcome.Scores["guesser"]);
        Assert.Equal(1.0, outcome.Scores["answerer"]);
        Assert.Equal(2, (int)outcome.Details["questionsUsed"]!);
        Assert.Equal("cat", (string?)outcome.Details["secret"]);
    }

    [Fact]
    public void Running_out_of_questions_and_guesses_loses_for_both()
    {
        var game = New();

        SubmitAll(game, ("guesser", "QUESTION: Is it big?"), ("answerer", "ANSWER: no"), ("guesser", "GUESS: mouse"),
            ("guesser", "QUESTION: Does it bark?"), ("answerer", "ANSWER: no"));

        Assert.Equal("game_over:not_found", game.EndReason);
        Assert.Equal(0.0, game.Outcome().Scores["guesser"]);
        Assert.Equal(0.0, game.Outcome().Scores["answerer"]);
    }

    [Fact]
    public void The_guesser_sees_the_parsed_answer_only_never_the_answerers_words_or_the_secret()
    {
        var game = New();

        SubmitAll(game, ("guesser", "QUESTION: Is it a pet?"), ("answerer", "It is a cat, so:\nANSWER: Yes."));

        var view = game.Observe("guesser");
        Assert.Contains("Q: Is it a pet? A: yes", view, StringComparison.Ordinal);
        Assert.DoesNotContain("cat", view, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("The secret word is: cat", game.Observe("answerer"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_guessers_view_does_not_depend_on_the_secret()
    {
        var dog = Cat with { Answer = "dog", Fields = new Dictionary<string, string>() };
        var a = New();
        var b = New(dog);
        var replies = new[] { ("guesser", "QUESTION: Is it a pet?"), ("answerer", "ANSWER: yes"), ("guesser", "GUESS: fish") };

        SubmitAll(a, replies);
        SubmitAll(b, replies);

        Assert.Equal(a.Observe("guesser"), b.Observe("guesser"));
        Assert.NotEqual(a.Observe("answerer"), b.Observe("answerer"));
    }

    [Theory]
    [InlineData("guesser", "Is it a pet?", "no line 'QUESTION: …' or 'GUESS: …' found")]
    [InlineData("guesser", "QUESTION: is it red?\nGUESS: apple", "ambiguous")]
    [InlineData("answerer", "ANSWER: maybe", "'maybe' is not yes or no")]
    [InlineData("answerer", "yes", "no line 'ANSWER: …' found")]
    public void Unparseable_questions_and_answers_are_rejected_and_recorded(string role, string reply, string reason)
    {
        var game = New();
        if (role == "answerer")
        {
            SubmitAll(game, ("guesser", "QUESTION: Is it a pet?"));
        }

        Assert.False(game.Submit(role == "answerer" ? 1 : 0, role, reply));

        Assert.StartsWith(reason, Assert.Single(game.InvalidMoves).Reason, StringComparison.Ordinal);
        Assert.Equal(role, game.ToMove);
    }

    [Fact]
    public void A_forfeit_by_either_role_loses_for_both()
    {
        var game = New();

        SubmitAll(game, ("guesser", "QUESTION: Is it a pet?"), ("answerer", "I think so"), ("answerer", "sure"));

        Assert.Equal("forfeit:answerer", game.EndReason);
        Assert.All(game.Outcome().Scores.Values, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void A_task_without_a_secret_cannot_be_played()
    {
        var e = Assert.Throws<InvalidOperationException>(() => New(new GameTask("x", "Guess.", null)));

        Assert.Contains("Task 'x' has no answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_rebuilds_the_identical_game()
    {
        var replies = new[] { ("guesser", "QUESTION: Is it a pet?"), ("answerer", "ANSWER: yes"), ("guesser", "hmm") };
        var live = New();
        SubmitAll(live, replies);

        var replayed = new TwentyQuestionsDefinition { MaxQuestions = 3 }.Replay(Cat, 1, Turns(replies));

        Assert.Equal(Observations(live), Observations(replayed));
        Assert.Equal(live.InvalidMoves, replayed.InvalidMoves);
    }
}
