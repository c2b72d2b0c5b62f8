// The engine on real GGUF models through LLamaSharp: it follows the protocol, scores, is deterministic for a
// seed, and resumes an interrupted episode to exactly the transcript an uninterrupted one produces.
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Tests.Inference;
using Socratic.Core.Tests.Scoring;

namespace Socratic.Core.Tests.Engine;

[Collection(InferenceCollection.Name)]
public sealed class GameEngineTests(InferenceFixture fixture)
{
    private const string TwoRoleGame = """
        {
          "name": "Teller and listener",
          "roles": [
            { "name": "teller", "instructions": "You tell a story about {{task.answer}}.", "sampling": { "temperature": 0.9, "maxTokens": 24 } },
            { "name": "listener", "instructions": "You ask what happens next.", "sampling": { "temperature": 0.9, "maxTokens": 16 } }
          ],
          "protocol": { "maxTurns": 4, "opening": "{{task.prompt}}", "otherTurnFormat": "{{role}} said: {{text}}" },
          "tasks": { "kind": "list", "items": [ { "prompt": "Once upon a time, there was a girl named Lily.", "answer": "Lily" } ] },
          "scoring": [ { "kind": "contains", "role": "teller", "value": "{{task.answer}}", "opponents": "complement" } ]
        }
        """;

    private readonly GameEngine _engine = new(fixture.Provider, new ScorerFactory());

    private static EpisodePlan Plan(GameDefinition game, string model, ulong seed)
    {
        var task = new TaskSourceFactory().Create(game.Tasks!).Draw(0, seed);
        var spec = new PolicySpec(model) { ChatTemplate = "chatml" };
        return new EpisodePlan(game, task, game.Roles.ToDictionary(r => r.Name, _ => spec), seed);
    }

    [Fact]
    public async Task Plays_roles_in_turn_order_and_scores_every_role_on_stories260K()
    {
        var game = GameValidator.Load(TwoRoleGame);
        var recorder = new RecordingObserver();

        var result = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 7), recorder, CancellationToken.None);

        Assert.Equal(["teller", "listener", "teller", "listener"], result.Turns.Select(t => t.Role));
        Assert.Equal([0, 1, 2, 3], result.Turns.Select(t => t.Index));
        Assert.All(result.Turns, t => Assert.InRange(t.CompletionTokens, 1, 24));
        Assert.Equal("max_turns", result.EndReason);

        // The streamed pieces of each turn add up to the stored text.
        foreach (var turn in result.Turns)
        {
            Assert.Equal(turn.Text, recorder.Streamed(turn.Index));
        }

        var teller = Assert.Single(result.Scores, s => s.Role == "teller");
        var listener = Assert.Single(result.Scores, s => s.Role == "listener");
        Assert.True(teller.Grounded);
        Assert.Equal(result.Turns[2].Text.Contains("Lily", StringComparison.OrdinalIgnoreCase) ? 1.0 : 0.0, teller.Value);
        Assert.Equal(1.0 - teller.Value, listener.Value);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_episode_and_another_seed_a_different_one()
    {
        var game = GameValidator.Load(TwoRoleGame);

        var a = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 42), null, CancellationToken.None);
        var b = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 42), null, CancellationToken.None);
        var c = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 43), null, CancellationToken.None);

        Assert.Equal(a.Turns.Select(t => t.Text), b.Turns.Select(t => t.Text));
        Assert.NotEqual(a.Turns.Select(t => t.Text), c.Turns.Select(t => t.Text));
    }

    [Fact]
    public async Task A_run_temperature_replaces_each_roles_own_in_the_sampling_the_policy_receives()
    {
        var game = GameValidator.Load(TwoRoleGame);
        var scripted = new ScriptedPolicy(_ => "and then?");
        var engine = new GameEngine(scripted, new ScorerFactory());

        await engine.PlayAsync(Plan(game, TestModels.Stories260K, 1) with { Temperature = 1.3f }, null, CancellationToken.None);
        await engine.PlayAsync(Plan(game, TestModels.Stories260K, 1), null, CancellationToken.None);

        Assert.Equal([1.3f, 1.3f, 1.3f, 1.3f, 0.9f, 0.9f, 0.9f, 0.9f], scripted.Calls.Select(c => c.Sampling.Temperature));
        Assert.All(scripted.Calls, c => Assert.Equal(40, c.Sampling.TopK)); // only the temperature is replaced
    }

    [Fact]
    public async Task A_run_temperature_of_zero_plays_greedily_whatever_the_seed_and_a_high_one_varies_on_stories260K()
    {
        var game = GameValidator.Load(TwoRoleGame); // roles sample at 0.9

        async Task<IReadOnlyList<string>> PlayAsync(ulong seed, float? temperature) =>
            [.. (await _engine.PlayAsync(Plan(game, TestModels.Stories260K, seed) with { Temperature = temperature }, null, CancellationToken.None)).Turns.Select(t => t.Text)];

        Assert.Equal(await PlayAsync(42, 0), await PlayAsync(43, 0));
        Assert.NotEqual(await PlayAsync(42, 1.5f), await PlayAsync(43, 1.5f));
        Assert.NotEqual(await PlayAsync(42, 1.5f), await PlayAsync(42, null));
    }

    [Fact]
    public async Task Resuming_after_stored_turns_reproduces_the_uninterrupted_episode()
    {
        var game = GameValidator.Load(TwoRoleGame);
        var full = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 5), null, CancellationToken.None);
        var recorder = new RecordingObserver();

        var resumed = await _engine.PlayAsync(
            Plan(game, TestModels.Stories260K, 5) with { CompletedTurns = full.Turns.Take(2).ToList() }, recorder, CancellationToken.None);

        Assert.Equal(full.Turns.Select(t => t.Text), resumed.Turns.Select(t => t.Text));
        Assert.Equal([2, 3], recorder.CompletedIndices);
    }

    [Fact]
    public async Task Stop_condition_ends_the_episode_early()
    {
        var game = GameValidator.Load(TwoRoleGame) is var g
            ? g with { Protocol = g.Protocol with { MaxTurns = 6, StopWhen = [new StopCondition { Kind = StopKind.Regex, Pattern = ".", Role = "listener" }] } }
            : null!;

        var result = await _engine.PlayAsync(Plan(game, TestModels.Stories260K, 3), null, CancellationToken.None);

        Assert.Equal(2, result.Turns.Count);
        Assert.StartsWith("stop:regex", result.EndReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_llama_with_the_32k_vocabulary_plays_and_is_scored()
    {
        var game = GameValidator.Load(TwoRoleGame);

        var result = await _engine.PlayAsync(Plan(game, TestModels.TinyRandomLlama, 11), null, CancellationToken.None);

        Assert.Equal(4, result.Turns.Count);
        Assert.All(result.Turns, t => Assert.True(t.CompletionTokens > 0));
        Assert.Equal(2, result.Scores.Count);
    }

    [Fact]
    public async Task Each_role_sees_the_opening_its_own_turns_as_assistant_and_others_as_user()
    {
        var game = GameValidator.Load(TwoRoleGame);
        var task = new GameTask("t", "Open.", "Lily");
        var turns = new List<TurnRecord>
        {
            new(0, "teller", "A", 1, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, FinishReason.Length),
            new(1, "listener", "B", 1, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, FinishReason.Length),
        };

        var view = ConversationView.Build(game, task, "teller", turns);

        Assert.Equal(
            [
                new ChatMessage(ChatRole.System, "You tell a story about Lily."),
                new ChatMessage(ChatRole.User, "Open."),
                new ChatMessage(ChatRole.Assistant, "A"),
                new ChatMessage(ChatRole.User, "listener said: B"),
            ],
            view);
    }

    [Fact]
    public void Hidden_roles_are_not_shown()
    {
        var game = GameValidator.Load(TwoRoleGame) is var g
            ? g with { Protocol = g.Protocol with { Visibility = new Dictionary<string, IReadOnlyList<string>> { ["listener"] = [] } } }
            : null!;
        var turns = new List<TurnRecord>
        {
            new(0, "teller", "secret", 1, 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero, TimeSpan.Zero, FinishReason.Length),
        };

        var view = ConversationView.Build(game, new GameTask("t", "Open.", "x"), "listener", turns);

        Assert.DoesNotContain(view, m => m.Content.Contains("secret", StringComparison.Ordinal));
    }

    private sealed class RecordingObserver : EpisodeObserver
    {
        private readonly Dictionary<int, System.Text.StringBuilder> _pieces = [];

        public List<int> CompletedIndices { get; } = [];

        public string Streamed(int index) => _pieces.TryGetValue(index, out var b) ? b.ToString() : "";

        public override void Token(int index, string piece)
        {
            lock (_pieces)
            {
                (_pieces.TryGetValue(index, out var b) ? b : _pieces[index] = new()).Append(piece);
            }
        }

        public override ValueTask TurnCompletedAsync(TurnRecord turn, CancellationToken cancellationToken)
        {
            CompletedIndices.Add(turn.Index);
            return ValueTask.CompletedTask;
        }
    }
}
