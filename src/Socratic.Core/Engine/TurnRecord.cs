// One finished turn of an episode, as the engine produced it and as it is stored (Turn table) and replayed
// when a crashed episode resumes.
using Socratic.Core.Policies;

namespace Socratic.Core.Engine;

public sealed record TurnRecord(
    int Index,
    string Role,
    string Text,
    int PromptTokens,
    int CompletionTokens,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan TimeToFirstToken,
    FinishReason FinishReason);
