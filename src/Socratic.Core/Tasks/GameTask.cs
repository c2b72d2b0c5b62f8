// One task an episode is played on: what the players are asked, the reference answer a grounded scorer
// checks against (never shown to roles unless their instructions ask for {{task.answer}}), and free fields.
namespace Socratic.Core.Tasks;

public sealed record GameTask(string Id, string Prompt, string? Answer)
{
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
