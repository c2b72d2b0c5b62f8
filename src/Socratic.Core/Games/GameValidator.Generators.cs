// Validation of the word-problem and string-transform task sources: every bad value is reported with its path,
// using the same limits the generators enforce, so a game that validates never fails when a task is drawn.
using Socratic.Core.Tasks;

namespace Socratic.Core.Games;

public static partial class GameValidator
{
    private static void ValidateWordProblems(WordProblemTaskSource w, Action<string, string> error)
    {
        if (w.Steps < 1 || w.Steps > WordProblemGenerator.MaxSteps)
        {
            error("$.tasks.steps", $"steps must be between 1 and {WordProblemGenerator.MaxSteps}");
        }

        if (w.MaxQuantity < 2 || w.MaxQuantity > WordProblemGenerator.MaxQuantityLimit)
        {
            error("$.tasks.maxQuantity", $"maxQuantity must be between 2 and {WordProblemGenerator.MaxQuantityLimit}");
        }

        if (w.Prompt is null || !w.Prompt.Contains("{{problem}}", StringComparison.Ordinal))
        {
            error("$.tasks.prompt", "the prompt must contain {{problem}}");
        }
    }

    private static void ValidateStringTransforms(StringTransformTaskSource t, Action<string, string> error)
    {
        if (t.Operations.Count == 0)
        {
            error("$.tasks.operations", "at least one operation is needed");
        }

        for (var i = 0; i < t.Operations.Count; i++)
        {
            if (!StringTransformGenerator.Operations.ContainsKey(t.Operations[i]))
            {
                error($"$.tasks.operations[{i}]", $"unknown operation '{t.Operations[i]}'; allowed: {string.Join(", ", StringTransformGenerator.Operations.Keys)}");
            }
        }

        if (t.Steps < 1 || t.Steps > StringTransformGenerator.MaxSteps)
        {
            error("$.tasks.steps", $"steps must be between 1 and {StringTransformGenerator.MaxSteps}");
        }

        if (t.MinLength < 1 || t.MinLength > t.MaxLength)
        {
            error("$.tasks.minLength", "minLength must be at least 1 and at most maxLength");
        }

        if (t.MaxLength > StringTransformGenerator.MaxLengthLimit)
        {
            error("$.tasks.maxLength", $"maxLength must be at most {StringTransformGenerator.MaxLengthLimit}");
        }

        if (t.Prompt is null || !(t.Prompt.Contains("{{instruction}}", StringComparison.Ordinal) || t.Prompt.Contains("{{input}}", StringComparison.Ordinal)))
        {
            error("$.tasks.prompt", "the prompt must contain {{instruction}} or {{input}}");
        }
    }
}
