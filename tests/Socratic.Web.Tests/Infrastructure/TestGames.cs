// Game definitions the web tests play on stories260K (a tiny story model: short turns keep tests quick).
namespace Socratic.Web.Tests.Infrastructure;

public static class TestGames
{
    public static string Story(string name = "Story test", int maxTurns = 2, int maxTokens = 24) => $$$"""
        {
          "name": "{{{name}}}",
          "description": "A teller continues a story; scored by whether it names the hero.",
          "tags": ["test"],
          "roles": [ { "name": "teller", "instructions": "", "sampling": { "temperature": 0.8, "maxTokens": {{{maxTokens}}} } } ],
          "protocol": { "maxTurns": {{{maxTurns}}} },
          "tasks": { "kind": "list", "items": [
            { "prompt": "Once upon a time, there was a little girl named Lily.", "answer": "Lily" },
            { "prompt": "One day, a boy named Tim went to the park.", "answer": "Tim" }
          ] },
          "scoring": [ { "kind": "contains", "value": "{{task.answer}}" } ]
        }
        """;
}
