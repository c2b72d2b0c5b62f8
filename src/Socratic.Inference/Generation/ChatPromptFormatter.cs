// Turns chat messages into prompt text with the model's own chat template (GGUF metadata) or, when the
// policy names one, an explicit template. Small models often ship without a template; silently falling back
// to ChatML would train and evaluate on a format the model never saw, so that case is a clear error instead.
using System.Text;
using LLama;
using LLama.Exceptions;
using Socratic.Core.Policies;

namespace Socratic.Inference.Generation;

internal sealed class ChatPromptFormatter
{
    private readonly LLamaWeights weights;
    private readonly string? explicitTemplate;

    private ChatPromptFormatter(LLamaWeights weights, string? explicitTemplate)
    {
        this.weights = weights;
        this.explicitTemplate = explicitTemplate;
    }

    /// <summary>
    /// Resolves the template for <paramref name="spec"/> now, so a missing or unknown template fails when the
    /// policy is created rather than in the middle of an episode.
    /// </summary>
    public static ChatPromptFormatter Create(LLamaWeights weights, PolicySpec spec)
    {
        var formatter = new ChatPromptFormatter(weights, string.IsNullOrWhiteSpace(spec.ChatTemplate) ? null : spec.ChatTemplate);
        try
        {
            _ = formatter.Format([new ChatMessage(ChatRole.User, "probe")]);
        }
        catch (TemplateNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"The model '{spec.ModelPath}' has no chat template in its GGUF metadata (tokenizer.chat_template). " +
                "Name one explicitly in PolicySpec.ChatTemplate, e.g. \"chatml\" or \"llama2\", or pass a Jinja template string.",
                ex);
        }
        catch (MissingTemplateException ex)
        {
            throw new InvalidOperationException(
                $"The chat template '{spec.ChatTemplate}' named for model '{spec.ModelPath}' is not known to llama.cpp. " +
                "Use a built-in name such as \"chatml\" or \"llama2\", or a Jinja template string.",
                ex);
        }

        formatter.TurnEnd = formatter.FindTurnEnd();
        return formatter;
    }

    /// <summary>
    /// What the template writes after an assistant message (ChatML: "&lt;|im_end|&gt;"), trimmed; null when nothing.
    /// Where the vocabulary has no special token for it (small vocabularies spell "&lt;|im_end|&gt;" in pieces),
    /// llama.cpp never sees an end-of-generation token, so the policy stops on this text instead.
    /// </summary>
    public string? TurnEnd { get; private set; }

    private string? FindTurnEnd()
    {
        const string Marker = "\u0001";
        var text = Format([new ChatMessage(ChatRole.User, "probe"), new ChatMessage(ChatRole.Assistant, Marker)], addAssistant: false);
        var at = text.LastIndexOf(Marker, StringComparison.Ordinal);
        var end = at < 0 ? "" : text[(at + Marker.Length)..].Trim();
        return end.Length == 0 ? null : end;
    }

    public string Format(IReadOnlyList<ChatMessage> messages) => Format(messages, addAssistant: true);

    private string Format(IReadOnlyList<ChatMessage> messages, bool addAssistant)
    {
        // LLamaTemplate is mutable and not thread-safe: build one per call (cheap next to decoding).
        var template = explicitTemplate is null
            ? new LLamaTemplate(weights, strict: true)
            : new LLamaTemplate(explicitTemplate);
        template.AddAssistant = addAssistant;
        foreach (var message in messages)
        {
            template.Add(RoleName(message.Role), message.Content);
        }

        return Encoding.UTF8.GetString(template.Apply());
    }

    private static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown chat role."),
    };
}
