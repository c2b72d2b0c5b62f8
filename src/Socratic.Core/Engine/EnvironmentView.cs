// What one role of an environment game sees on its turn: its instructions as the system prompt, then one user
// message with the opening and the environment's observation for that role. The raw text of other roles'
// turns is never shown: everything passes through the environment, which shows each role only the parsed
// moves and its own private information (its card, its values, the secret). The observation holds the game
// history, so the prompt stays short however long the game runs.
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;

namespace Socratic.Core.Engine;

public static class EnvironmentView
{
    public static IReadOnlyList<ChatMessage> Build(GameDefinition game, GameTask task, string role, string observation)
    {
        var roleDef = game.FindRole(role) ?? throw new InvalidOperationException($"The game has no role '{role}'.");
        var extra = new Dictionary<string, string> { ["role"] = role };
        var messages = new List<ChatMessage>();
        var instructions = PromptTemplate.Render(roleDef.Instructions, task, extra);
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        var opening = PromptTemplate.Render(game.Protocol.Opening, task, extra);
        messages.Add(new ChatMessage(ChatRole.User, string.IsNullOrWhiteSpace(opening) ? observation : $"{opening}\n\n{observation}"));
        return messages;
    }
}
