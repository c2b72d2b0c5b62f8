// Process-wide cache of loaded GGUF weights and LoRA adapters. Loading is the expensive, memory-heavy step,
// so each model path is loaded exactly once (concurrent callers await the same load) and shared by every
// context built on it; a failed load is forgotten so a fixed file can be retried.
using System.Collections.Concurrent;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Socratic.Core.Policies;

namespace Socratic.Inference.Models;

internal sealed class ModelCache(InferenceOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LLamaWeights>>> models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, string Adapter), Lazy<LoraAdapter>> adapters = new();
    private int loadCount;
    private bool disposed;

    /// <summary>Number of successful native model loads so far (a test hook proving the cache works).</summary>
    public int LoadCount => Volatile.Read(ref loadCount);

    public static string NormalizePath(string path) => Path.GetFullPath(path);

    public Task<LLamaWeights> GetWeightsAsync(string modelPath, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var key = NormalizePath(modelPath);
        var lazy = models.GetOrAdd(key, k => new Lazy<Task<LLamaWeights>>(() => Task.Run(() => Load(k), CancellationToken.None)));
        return AwaitLoadAsync(key, lazy, cancellationToken);
    }

    private async Task<LLamaWeights> AwaitLoadAsync(string key, Lazy<Task<LLamaWeights>> lazy, CancellationToken cancellationToken)
    {
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadException)
        {
            models.TryRemove(new KeyValuePair<string, Lazy<Task<LLamaWeights>>>(key, lazy));
            throw;
        }
    }

    private LLamaWeights Load(string path)
    {
        ModelFileValidator.EnsureGguf(path);
        var parameters = new ModelParams(path)
        {
            GpuLayerCount = options.GpuLayerCount,
            LoadMode = options.UseMemoryMap ? LLamaLoadMode.MemoryMap : LLamaLoadMode.None,
        };
        try
        {
            var weights = LLamaWeights.LoadFromFile(parameters);
            Interlocked.Increment(ref loadCount);
            return weights;
        }
        catch (LoadWeightsFailedException ex)
        {
            throw new ModelLoadException(path, "llama.cpp could not load the weights (truncated or unsupported GGUF?)", ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new ModelLoadException(path, "file not found", ex);
        }
    }

    /// <summary>Loads (once per model and adapter path) a LoRA adapter bound to <paramref name="weights"/>.</summary>
    public LoraAdapter GetAdapter(string modelPath, LLamaWeights weights, string adapterPath)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var key = (NormalizePath(modelPath), NormalizePath(adapterPath));
        var lazy = adapters.GetOrAdd(key, k => new Lazy<LoraAdapter>(() => LoadAdapter(weights, k.Adapter)));
        try
        {
            return lazy.Value;
        }
        catch (ModelLoadException)
        {
            adapters.TryRemove(new KeyValuePair<(string, string), Lazy<LoraAdapter>>(key, lazy));
            throw;
        }
    }

    private static LoraAdapter LoadAdapter(LLamaWeights weights, string adapterPath)
    {
        ModelFileValidator.EnsureGguf(adapterPath, "LoRA adapter");
        try
        {
            return weights.NativeHandle.LoadLoraFromFile(adapterPath);
        }
        catch (InvalidOperationException ex)
        {
            throw new ModelLoadException(adapterPath, "llama.cpp could not load the LoRA adapter (does it match the base model?)", ex);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        // Adapters are owned by their model in llama.cpp and are freed with it.
        adapters.Clear();
        foreach (var lazy in models.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        models.Clear();
    }
}
