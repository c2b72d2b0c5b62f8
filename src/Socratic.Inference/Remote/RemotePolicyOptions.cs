// Knobs of the remote policy backend (configuration section "Inference:Remote"): any OpenAI-compatible server —
// llama.cpp's server, vLLM, Ollama, or another Socratic — plays the policies, so self-play can run on a GPU
// cluster while this process keeps the database, jobs and scoring.
namespace Socratic.Inference.Remote;

public sealed class RemotePolicyOptions
{
    public const string SectionName = "Inference:Remote";

    /// <summary>Base address of the OpenAI-compatible API, including its version segment, e.g. http://gpu-box:8080/v1.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Sent as a bearer token; servers that need none accept any value.</summary>
    public string ApiKey { get; set; } = "none";

    /// <summary>
    /// The "model" asked of the server for every policy. Empty: the policy's registered name (a Socratic server
    /// resolves it), else the model file's name without extension.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Longest a single request may take before it fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{SectionName}:Endpoint must be an absolute http(s) address such as http://localhost:8080/v1 (got '{Endpoint}').");
        }
    }
}
