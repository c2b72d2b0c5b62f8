// Entry point of the in-process runtime: hands out cached policies. Weights are loaded once per model path;
// one batch scheduler (context + decode loop) exists per (model, adapter, scale) because llama.cpp applies a
// LoRA adapter to a whole context; policies differing only in chat template share a scheduler.
using System.Collections.Concurrent;
using LLama;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Socratic.Core.Policies;
using Socratic.Inference.Generation;
using Socratic.Inference.Models;
using Socratic.Inference.Scheduling;

namespace Socratic.Inference;

public sealed class LlamaPolicyProvider : IPolicyProvider, IAsyncDisposable
{
    private readonly InferenceOptions options;
    private readonly ILogger logger;
    private readonly ModelCache models;
    private readonly ConcurrentDictionary<(string Model, string? Adapter, float Scale), Lazy<Task<BatchScheduler>>> schedulers = new();
    private readonly ConcurrentDictionary<PolicySpec, Lazy<Task<LlamaPolicy>>> policies = new();
    private int disposed;

    public LlamaPolicyProvider(InferenceOptions? options = null, ILogger<LlamaPolicyProvider>? logger = null)
    {
        this.options = options ?? new InferenceOptions();
        this.options.Validate();
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        NativeRuntime.EnsureConfigured(this.logger, this.options.NativeLogging);
        models = new ModelCache(this.options);
    }

    /// <summary>Number of native model loads this provider performed (each model path loads once).</summary>
    public int ModelLoadCount => models.LoadCount;

    /// <summary>Number of batch schedulers (native contexts with their decode loop) created so far.</summary>
    public int ContextCount => schedulers.Count;

    public InferenceOptions Options => options;

    /// <summary>The process's loaded copy of a model (loaded once, shared by every context on it).</summary>
    internal Task<LLamaWeights> GetWeightsAsync(string modelPath, CancellationToken cancellationToken) => models.GetWeightsAsync(modelPath, cancellationToken);

    public async Task<IPolicy> GetAsync(PolicySpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var lazy = policies.GetOrAdd(spec, s => new Lazy<Task<LlamaPolicy>>(() => CreatePolicyAsync(s)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // Forget failures so a corrected file or template can be retried in the same process.
            policies.TryRemove(new KeyValuePair<PolicySpec, Lazy<Task<LlamaPolicy>>>(spec, lazy));
            throw;
        }
    }

    private async Task<LlamaPolicy> CreatePolicyAsync(PolicySpec spec)
    {
        var weights = await models.GetWeightsAsync(spec.ModelPath, CancellationToken.None).ConfigureAwait(false);
        var formatter = ChatPromptFormatter.Create(weights, spec);
        var scheduler = await GetSchedulerAsync(spec, weights).ConfigureAwait(false);
        return new LlamaPolicy(spec, weights, formatter, scheduler, options.ContextSize);
    }

    private async Task<BatchScheduler> GetSchedulerAsync(PolicySpec spec, LLamaWeights weights)
    {
        var modelKey = ModelCache.NormalizePath(spec.ModelPath);
        var adapterKey = spec.AdapterPath is null ? null : ModelCache.NormalizePath(spec.AdapterPath);
        var key = (modelKey, adapterKey, adapterKey is null ? 0f : spec.AdapterScale);
        var lazy = schedulers.GetOrAdd(key, k => new Lazy<Task<BatchScheduler>>(() => Task.Run(() =>
        {
            (LLama.Native.LoraAdapter, float)? adapter = k.Adapter is null
                ? null
                : (models.GetAdapter(k.Model, weights, k.Adapter), k.Scale);
            return new BatchScheduler(Path.GetFileName(k.Model), weights, adapter, options, logger);
        })));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A bad adapter must not poison the key for good.
            schedulers.TryRemove(new KeyValuePair<(string, string?, float), Lazy<Task<BatchScheduler>>>(key, lazy));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        foreach (var lazy in schedulers.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        schedulers.Clear();
        policies.Clear();
        models.Dispose();
    }
}
