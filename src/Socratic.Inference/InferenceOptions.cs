// Knobs of the in-process LLamaSharp runtime, bound from the configuration section "Inference".
// Every value is per loaded (model, adapter) context unless its comment says otherwise.
namespace Socratic.Inference;

public sealed class InferenceOptions
{
    /// <summary>Configuration section these options are bound from.</summary>
    public const string SectionName = "Inference";

    /// <summary>
    /// Tokens one sequence may hold (prompt plus completion). The native context is sized
    /// <c>ContextSize × MaxSequences</c> so every active sequence gets this much KV cache.
    /// </summary>
    public int ContextSize { get; set; } = 512;

    /// <summary>Sequences decoded together in one batch per (model, adapter) context; more requests wait in a queue.</summary>
    public int MaxSequences { get; set; } = 16;

    /// <summary>
    /// Most tokens submitted to one native decode call (prompt prefill is chunked to this size).
    /// Must be at least <see cref="MaxSequences"/> so every active sequence fits in a decode step.
    /// </summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// CPU threads used by llama.cpp for decoding and prefill, per context. llama.cpp's workers spin at barriers, so
    /// on a machine busy with other work (or with several adapter contexts decoding at once) fewer threads can be
    /// several times faster; measured on a loaded 2-core box, 1 thread beat 2.
    /// </summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Model layers offloaded to the GPU; 0 keeps everything on the CPU (needs a GPU backend build otherwise).</summary>
    public int GpuLayerCount { get; set; }

    /// <summary>Map model files into memory instead of reading them (faster start, shared pages across processes).</summary>
    public bool UseMemoryMap { get; set; } = true;

    /// <summary>
    /// Share one KV buffer across sequences. Off by default: independent sequences (self-play episodes) share no
    /// prefix, and per-sequence buffers keep attention cost proportional to each sequence's own length.
    /// </summary>
    public bool UnifiedKvCache { get; set; }

    /// <summary>
    /// Flash attention: true/false forces it; null (default) turns it off on CPU-only runs (<see cref="GpuLayerCount"/> 0),
    /// where llama.cpp's CPU flash-attention kernel measured about 1.7× slower per token on small models, and lets
    /// llama.cpp decide when layers are offloaded to a GPU.
    /// </summary>
    public bool? FlashAttention { get; set; }

    /// <summary>The flash-attention setting actually passed to llama.cpp (null: llama.cpp decides).</summary>
    internal bool? EffectiveFlashAttention => FlashAttention ?? (GpuLayerCount > 0 ? null : false);

    /// <summary>
    /// Keep the KV cache in F32 instead of llama.cpp's default F16: twice the cache memory, fewer conversions per
    /// attention step on CPU (worth it only for tiny models whose cache is small anyway).
    /// </summary>
    public bool KvCacheF32 { get; set; }

    /// <summary>How many recent tokens the repeat penalty looks back over.</summary>
    public int RepeatPenaltyWindow { get; set; } = 64;

    /// <summary>Forward llama.cpp's native log lines to the logger (at Debug); off keeps test output quiet.</summary>
    public bool NativeLogging { get; set; }

    internal void Validate()
    {
        if (ContextSize < 8)
        {
            throw new ArgumentOutOfRangeException(nameof(ContextSize), ContextSize, "ContextSize must be at least 8 tokens.");
        }

        if (MaxSequences < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSequences), MaxSequences, "MaxSequences must be at least 1.");
        }

        if (BatchSize < MaxSequences)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least MaxSequences.");
        }

        if (Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
        }
    }
}
