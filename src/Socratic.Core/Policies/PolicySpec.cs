// What a policy is at run time: a base GGUF plus an optional LoRA adapter and the chat template to use.
// Two specs with equal ModelPath share one loaded model; equal (ModelPath, AdapterPath) share a context pool.
namespace Socratic.Core.Policies;

public sealed record PolicySpec(string ModelPath)
{
    public string? AdapterPath { get; init; }

    public float AdapterScale { get; init; } = 1.0f;

    /// <summary>
    /// Explicit chat template: a llama.cpp template name ("chatml", "llama2", …) or a Jinja string.
    /// Null means the model's own template from its GGUF metadata; a model without one is an error
    /// unless a template is named here.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>
    /// The policy's registered name, when it has one: what a remote OpenAI-compatible backend is asked for as the
    /// "model" (a Socratic server resolves it back to the same policy). Not part of <see cref="Key"/>.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Stable key for caching and logs.</summary>
    public string Key => AdapterPath is null ? ModelPath : $"{ModelPath}+{AdapterPath}@{AdapterScale}";
}
