// Curation keeps what is worth training on and says why everything else was dropped; MinHash finds
// near-duplicates; exports are accepted by the trainer's own readers.
using Socratic.Core.Curation;
using Socratic.Core.Policies;
using Socratic.Core.Training;
using Socratic.Training.Datasets;
using ChatMessage = Socratic.Core.Policies.ChatMessage;

namespace Socratic.Core.Tests.Curation;

public class CuratorTests
{
    private static CurationSample Sample(long episode, string game, string task, double score, string completion, bool grounded = true, string? cluster = null) =>
        new(episode, game, task, cluster ?? task, "solver",
            [new ChatMessage(ChatRole.System, "Answer."), new ChatMessage(ChatRole.User, $"Task {task}"), new ChatMessage(ChatRole.Assistant, completion)],
            $"Answer.\n\nTask {task}", completion, score, grounded, 1);

    [Fact]
    public void Grounded_only_and_min_score_drop_judge_scored_and_low_scoring_samples_with_counts()
    {
        var samples = new[]
        {
            Sample(1, "g", "t1", 1, "answer one is 5"),
            Sample(2, "g", "t2", 1, "judge liked this", grounded: false),
            Sample(3, "g", "t3", 0, "wrong answer 7"),
        };

        var outcome = Curator.Curate(samples, new CurationRules { MinScore = 0.5 });

        Assert.Equal([1L], outcome.Kept.Select(s => s.EpisodeId));
        Assert.Equal(1, outcome.Dropped["not_grounded"]);
        Assert.Equal(1, outcome.Dropped["below_min_score"]);
    }

    [Fact]
    public void Top_k_per_task_keeps_the_best_scoring_samples_of_each_task()
    {
        var samples = new[]
        {
            Sample(1, "g", "t1", 0.2, "first try at t1 with words"), Sample(2, "g", "t1", 0.9, "second try at t1 differs"),
            Sample(3, "g", "t1", 0.5, "third try at t1 is new"), Sample(4, "g", "t2", 0.1, "only try at t2 here"),
        };

        var outcome = Curator.Curate(samples, new CurationRules { TopKPerTask = 2, DedupThreshold = 0 });

        Assert.Equal([2L, 3L, 4L], outcome.Kept.Select(s => s.EpisodeId).Order());
        Assert.Equal(1, outcome.Dropped["beyond_top_k"]);
    }

    [Fact]
    public void Near_duplicates_are_removed_keeping_the_better_scoring_copy()
    {
        const string text = "to add 17 and 25 first add the tens to get 30 then the ones to get 12 so the total is 42";
        var samples = new[]
        {
            Sample(1, "g", "t1", 0.5, text),
            Sample(2, "g", "t2", 1.0, text + " !"),
            Sample(3, "g", "t3", 1.0, "a completely different explanation about multiplying 6 by 7 which gives 42"),
        };

        var outcome = Curator.Curate(samples, new CurationRules());

        Assert.Equal([2L, 3L], outcome.Kept.Select(s => s.EpisodeId).Order());
        Assert.Equal(1, outcome.Dropped["near_duplicate"]);
    }

    [Fact]
    public void Min_hash_similarity_estimates_jaccard()
    {
        var minHash = new MinHash(permutations: 256);
        var a = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        var b = string.Join(' ', Enumerable.Range(50, 100).Select(i => $"w{i}"));
        // 3-gram shingles: 98 each, 48 shared → Jaccard 48 / 148 ≈ 0.32.
        var estimate = MinHash.Similarity(minHash.Signature(a), minHash.Signature(b));

        Assert.InRange(estimate, 0.22, 0.42);
        Assert.Equal(1.0, MinHash.Similarity(minHash.Signature(a), minHash.Signature(a)));
    }

    [Fact]
    public void The_size_cap_takes_turns_across_games_so_one_game_cannot_fill_the_dataset()
    {
        var samples = Enumerable.Range(0, 30).Select(i => Sample(i, "easy", $"e{i}", 1, $"easy answer number {i} unique words {i * 31}"))
            .Concat(Enumerable.Range(100, 3).Select(i => Sample(i, "hard", $"h{i}", 0.6, $"hard answer {i} other words {i * 17}")))
            .ToList();

        var outcome = Curator.Curate(samples, new CurationRules { MaxItems = 6 });

        Assert.Equal(6, outcome.Kept.Count);
        Assert.Equal(3, outcome.Kept.Count(s => s.Game == "hard"));
        Assert.Equal(27, outcome.Dropped["balance_cap"]);
    }

    [Fact]
    public void Curation_is_deterministic_whatever_the_input_order()
    {
        var samples = Enumerable.Range(0, 20).Select(i => Sample(i, i % 2 == 0 ? "a" : "b", $"t{i % 5}", i % 3 / 2.0, $"text {i} with {i * i} words")).ToList();
        var rules = new CurationRules { TopKPerTask = 2, MaxItems = 7 };

        var forward = Curator.Curate(samples, rules).Kept.Select(s => s.EpisodeId);
        var backward = Curator.Curate([.. Enumerable.Reverse(samples)], rules).Kept.Select(s => s.EpisodeId);

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Chat_export_is_read_back_by_the_trainer_with_lineage_per_line()
    {
        var exported = DatasetExport.Chat([Sample(7, "g", "t1", 1, "5"), Sample(9, "g", "t2", 1, "6")]);

        var records = ChatJsonl.ReadChat(new StringReader(exported.Jsonl));

        Assert.Equal(2, records.Count);
        Assert.Equal(["system", "user", "assistant"], records[0].Messages.Select(m => m.Role));
        Assert.Equal("6", records[1].Messages[^1].Content);
        Assert.Equal([7L, 9L], exported.EpisodeIds.Select(id => id!.Value));
    }

    [Fact]
    public void Preference_export_pairs_the_best_and_worst_answer_of_a_task_when_the_gap_is_clear()
    {
        var samples = new[]
        {
            Sample(1, "g", "t1", 0, "7"), Sample(2, "g", "t1", 1, "5"), Sample(3, "g", "t1", 0.5, "5?"),
            Sample(4, "g", "t2", 1, "9"), Sample(5, "g", "t2", 0.9, "9."),
        };

        var exported = DatasetExport.Preferences(samples, minGap: 0.5);
        var pair = Assert.Single(ChatJsonl.ReadPreferences(new StringReader(exported.Jsonl)));

        Assert.Equal(("5", "7"), (pair.Chosen, pair.Rejected));
        Assert.Equal("Answer.\n\nTask t1", pair.Prompt);
        Assert.Equal(1, exported.Skipped["no_clear_preference"]);
    }

    [Fact]
    public void Group_export_keeps_groups_with_score_spread_and_skips_those_without_signal()
    {
        var samples = new[]
        {
            Sample(1, "g", "t1", 0, "7"), Sample(2, "g", "t1", 1, "5"),
            Sample(3, "g", "t2", 1, "9"), Sample(4, "g", "t2", 1, "9"),
        };

        var exported = DatasetExport.Export(DatasetKind.ScoredGroups, samples, new CurationRules());
        var group = Assert.Single(ChatJsonl.ReadGroups(new StringReader(exported.Jsonl)));

        Assert.Equal([0.0, 1.0], group.Completions.Select(c => c.Score));
        Assert.Equal(1, exported.Skipped["no_score_spread"]);
    }
}
