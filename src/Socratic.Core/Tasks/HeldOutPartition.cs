// Keeps evaluation tasks out of training. A fixed, salted hash of a task's content puts one task in eight into
// the held-out partition: training generators redraw whenever they land there, and evaluation suites draw only
// from there. The split is by content, not by seed, because small task spaces ("3 + 4") are reached from many
// seeds; any two seeds may give the same task, but never a held-out task to a game.
// The salt and bucket count are a contract: changing them changes every generated task stream.
namespace Socratic.Core.Tasks;

/// <summary>Which side of the held-out split a generator draws from.</summary>
public enum TaskPartition
{
    /// <summary>Games: everything except the held-out partition.</summary>
    Training,

    /// <summary>Evaluation suites: only the held-out partition.</summary>
    HeldOut,
}

public static class HeldOutPartition
{
    /// <summary>One bucket in this many is held out.</summary>
    public const int Buckets = 8;

    /// <summary>Redraws before a training draw gives up and keeps a held-out task (only in tiny task spaces).</summary>
    public const int MaxTrainingRedraws = 64;

    /// <summary>Draws before an evaluation suite gives up (the chance of a miss is (7/8)^512 in a large space).</summary>
    public const int MaxHeldOutDraws = 512;

    private const string Salt = "socratic/held-out/v1";

    /// <summary>Produces a candidate task from the generator's random stream, advancing it.</summary>
    public delegate GameTask Candidate(ref SplitMix64 rng);

    /// <summary>True when the task whose canonical content is <paramref name="content"/> belongs to evaluation.</summary>
    public static bool Contains(string kind, string content)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(content);

        // A fully specified hash, so the split is the same on every machine and runtime.
        return SplitMix64.Mix(Engine.Seeds.OfText($"{Salt}\n{kind}\n{content}")) % Buckets == 0;
    }

    /// <summary>
    /// Draws candidates from one stream until one lies on <paramref name="partition"/>'s side. A training draw in a
    /// space too small to avoid the partition keeps its last candidate and says so in the field "heldOutOverlap".
    /// </summary>
    public static GameTask Draw(ulong seed, long index, TaskPartition partition, string kind, Func<GameTask, string> content, Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(candidate);
        var rng = SplitMix64.ForStream(seed, (ulong)index);
        var attempts = partition == TaskPartition.Training ? MaxTrainingRedraws : MaxHeldOutDraws;
        GameTask task = candidate(ref rng);
        for (var i = 1; Contains(kind, content(task)) != (partition == TaskPartition.HeldOut); i++)
        {
            if (i >= attempts)
            {
                if (partition == TaskPartition.HeldOut)
                {
                    throw new InvalidOperationException(
                        $"No held-out {kind} task in {attempts} draws: the task space is too small for an evaluation suite.");
                }

                var fields = new Dictionary<string, string>(task.Fields, StringComparer.Ordinal) { ["heldOutOverlap"] = "true" };
                return task with { Fields = fields };
            }

            task = candidate(ref rng);
        }

        return task;
    }
}
