// IPolicyProvider over an OpenAI-compatible server through Microsoft.Extensions.AI: one IChatClient per model
// name, shared by every episode (the server batches concurrent requests, as the in-process runtime does).
// Streaming is used so the live arena still sees tokens arrive.
using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using Socratic.Core.Policies;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;
using ChatMessage = Socratic.Core.Policies.ChatMessage;
using ChatRole = Socratic.Core.Policies.ChatRole;

namespace Socratic.Inference.Remote;

public sealed class RemotePolicyProvider : IPolicyProvider, IDisposable
{
    private readonly RemotePolicyOptions _options;
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    public RemotePolicyProvider(RemotePolicyOptions options)
    {
        options.Validate();
        _options = options;
        _client = new OpenAIClient(new ApiKeyCredential(options.ApiKey), new OpenAIClientOptions { Endpoint = options.Endpoint, NetworkTimeout = options.Timeout });
    }

    public Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken)
    {
        var model = string.IsNullOrWhiteSpace(_options.Model) ? spec.Name ?? Path.GetFileNameWithoutExtension(spec.ModelPath) : _options.Model;
        var client = _clients.GetOrAdd(model, m => _client.GetChatClient(m).AsIChatClient());
        return Task.FromResult<IPolicy>(new RemotePolicy(spec, client));
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private sealed class RemotePolicy(PolicySpec spec, IChatClient client) : IPolicy
    {
        public PolicySpec Spec => spec;

        public async Task<GenerationResult> GenerateAsync(
            IReadOnlyList<ChatMessage> messages, SamplingSettings sampling, Action<string>? onToken, CancellationToken cancellationToken)
        {
            var options = new ChatOptions
            {
                Temperature = sampling.Temperature,
                TopP = sampling.TopP,
                TopK = sampling.TopK > 0 ? sampling.TopK : null,
                MaxOutputTokens = sampling.MaxTokens,
                StopSequences = sampling.Stop.Count > 0 ? [.. sampling.Stop] : null,
                Seed = sampling.Seed,
            };
            var clock = Stopwatch.StartNew();
            TimeSpan? firstToken = null;
            var text = new System.Text.StringBuilder();
            ChatFinishReason? finish = null;
            UsageDetails? usage = null;
            var pieces = 0;
            await foreach (var update in client.GetStreamingResponseAsync(messages.Select(ToAi), options, cancellationToken))
            {
                if (!string.IsNullOrEmpty(update.Text))
                {
                    firstToken ??= clock.Elapsed;
                    pieces++;
                    text.Append(update.Text);
                    onToken?.Invoke(update.Text);
                }

                finish = update.FinishReason ?? finish;
                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
            }

            return new GenerationResult(
                text.ToString(),
                (int)(usage?.InputTokenCount ?? 0),
                (int)(usage?.OutputTokenCount ?? pieces), // a server that reports no usage: one piece ≈ one token
                finish == ChatFinishReason.Length ? FinishReason.Length : FinishReason.Stop,
                firstToken ?? clock.Elapsed,
                clock.Elapsed);
        }

        private static AiChatMessage ToAi(ChatMessage m) => new(
            m.Role switch { ChatRole.System => AiChatRole.System, ChatRole.User => AiChatRole.User, _ => AiChatRole.Assistant },
            m.Content);
    }
}
