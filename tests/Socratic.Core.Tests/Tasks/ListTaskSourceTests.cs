// List task source: cycling, per-epoch seeded shuffles, and the factory.
using Socratic.Core.Tasks;

namespace Socratic.Core.Tests.Tasks;

public class ListTaskSourceTests
{
    private static ListTaskSource Letters(bool shuffle, int n = 10) => new()
    {
        Shuffle = shuffle,
        Items = [.. Enumerable.Range(0, n).Select(i => new ListTaskItem { Id = ((char)('a' + i)).ToString(), Prompt = $"p{i}", Answer = $"{i}" })],
    };

    [Fact]
    public void Without_shuffle_cycles_in_list_order()
    {
        var source = new ListTaskSourceImpl(Letters(shuffle: false, n: 3));

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], Enumerable.Range(0, 7).Select(i => source.Draw(i, 123).Id));
    }

    [Fact]
    public void Shuffle_visits_every_item_once_per_epoch()
    {
        var source = new ListTaskSourceImpl(Letters(shuffle: true));

        for (var epoch = 0; epoch < 3; epoch++)
        {
            var ids = Enumerable.Range(epoch * 10, 10).Select(i => source.Draw(i, 9).Id).Order();
            Assert.Equal(Enumerable.Range(0, 10).Select(i => ((char)('a' + i)).ToString()), ids);
        }
    }

    [Fact]
    public void Shuffle_is_deterministic_across_instances_and_draw_order()
    {
        var a = new ListTaskSourceImpl(Letters(shuffle: true));
        var b = new ListTaskSourceImpl(Letters(shuffle: true));

        var forward = Enumerable.Range(0, 30).Select(i => a.Draw(i, 5).Id).ToList();
        var backward = Enumerable.Range(0, 30).Reverse().Select(i => b.Draw(i, 5).Id).Reverse().ToList();

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Shuffle_differs_between_epochs_and_seeds()
    {
        var source = new ListTaskSourceImpl(Letters(shuffle: true, n: 20));

        var epoch0 = Enumerable.Range(0, 20).Select(i => source.Draw(i, 5).Id).ToList();
        var epoch1 = Enumerable.Range(20, 20).Select(i => source.Draw(i, 5).Id).ToList();
        var otherSeed = Enumerable.Range(0, 20).Select(i => source.Draw(i, 6).Id).ToList();

        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(epoch0, otherSeed);
        Assert.NotEqual(epoch0.Order().ToList(), epoch0); // actually shuffled, not list order
    }

    [Fact]
    public void Tasks_carry_prompt_answer_fields_and_a_fallback_id()
    {
        var def = new ListTaskSource
        {
            Shuffle = false,
            Items = [new ListTaskItem { Prompt = "Once upon a time", Answer = "Lily", Fields = new Dictionary<string, string> { ["mood"] = "happy" } }],
        };

        var task = new ListTaskSourceImpl(def).Draw(0, 0);

        Assert.Equal(("item-0", "Once upon a time", "Lily", "happy"), (task.Id, task.Prompt, task.Answer, task.Fields["mood"]));
    }

    [Fact]
    public void Negative_indexes_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListTaskSourceImpl(Letters(false)).Draw(-1, 0));

    [Fact]
    public void An_empty_list_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new ListTaskSourceImpl(new ListTaskSource()));

    [Fact]
    public void Factory_builds_the_source_for_each_kind()
    {
        var factory = new TaskSourceFactory();

        Assert.IsType<ArithmeticTaskGenerator>(factory.Create(new ArithmeticTaskSource()));
        Assert.IsType<ListTaskSourceImpl>(factory.Create(Letters(false)));
    }
}
