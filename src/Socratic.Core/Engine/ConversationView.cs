// Builds what one role sees of an episode as chat messages: its instructions as the system prompt, the
// opening as the first user message, its own turns as assistant messages and other visible roles' turns as
// user messages ("critic: …"). Adjacent messages of one chat role are merged because many chat templates
// require strict user/assistant alternation.
using System.Text;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;

namespace Socratic.Core.Engine;

public static class ConversationView
{
    public static IReadOnlyList<ChatMessage> Build(GameDefinition game, GameTask task, string role, IReadOnlyList<TurnRecord> turns)
    {
        var roleDef = game.FindRole(role) ?? throw new InvalidOperationException($"The game has no role '{role}'.");
        var extra = new Dictionary<string, string> { ["role"] = role };
        var visible = game.Protocol.Visibility.TryGetValue(role, out var v) ? v.ToHashSet(StringComparer.Ordinal) : null;

        var messages = new List<(ChatRole Role, StringBuilder Text)>();
        void Add(ChatRole chatRole, string text)
        {
            if (messages.Count > 0 && messages[^1].Role == chatRole && chatRole != ChatRole.System)
            {
                messages[^1].Text.Append('\n').Append(text);
            }
            else
            {
                messages.Add((chatRole, new StringBuilder(text)));
            }
        }

        var instructions = PromptTemplate.Render(roleDef.Instructions, task, extra);
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            Add(ChatRole.System, instructions);
        }

        Add(ChatRole.User, PromptTemplate.Render(game.Protocol.Opening, task, extra));
        foreach (var turn in turns)
        {
            if (turn.Role == role)
            {
                Add(ChatRole.Assistant, turn.Text);
            }
            else if (visible is null || visible.Contains(turn.Role))
            {
                var shown = game.Protocol.OtherTurnFormat.Replace("{{role}}", turn.Role, StringComparison.Ordinal)
                    .Replace("{{text}}", turn.Text, StringComparison.Ordinal);
                Add(ChatRole.User, shown);
            }
        }

        return [.. messages.Select(m => new ChatMessage(m.Role, m.Text.ToString()))];
    }
}
