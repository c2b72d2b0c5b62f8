// One candidate training example: what one role of one finished episode said, in the form every export needs
// (the role's whole view as chat messages for SFT; a flat prompt and completion for preference pairs and scored
// groups), with the grounded score it earned and where it came from (for the dataset card and lineage).
using Socratic.Core.Policies;

namespace Socratic.Core.Curation;

/// <param name="Cluster">Task cluster used to keep the dataset balanced inside a game (e.g. a difficulty band); the task id when unknown.</param>
/// <param name="Conversation">The role's view of the finished episode; its own turns are the assistant messages.</param>
/// <param name="Prompt">The role's instructions and the opening flattened into one user prompt (for pairs and groups).</param>
/// <param name="Completion">The role's turns joined: what a pair or group compares.</param>
public sealed record CurationSample(
    long EpisodeId,
    string Game,
    string TaskId,
    string Cluster,
    string Role,
    IReadOnlyList<ChatMessage> Conversation,
    string Prompt,
    string Completion,
    double Score,
    bool Grounded,
    int Generation);
