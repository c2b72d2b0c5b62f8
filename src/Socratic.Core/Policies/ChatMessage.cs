// A chat message as a policy sees it. Roles are the chat-template roles, not game roles:
// the engine maps each game role's view of the conversation onto system/user/assistant.
namespace Socratic.Core.Policies;

public enum ChatRole
{
    System,
    User,
    Assistant,
}

public sealed record ChatMessage(ChatRole Role, string Content);
