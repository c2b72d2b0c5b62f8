// Task sources are pure functions of (index, seed): episode k of a run always gets the same task, which is
// what lets a crashed episode resume on the task it started with.
namespace Socratic.Core.Tasks;

public interface ITaskSource
{
    GameTask Draw(long index, ulong seed);
}

public interface ITaskSourceFactory
{
    ITaskSource Create(TaskSourceDefinition definition);
}
