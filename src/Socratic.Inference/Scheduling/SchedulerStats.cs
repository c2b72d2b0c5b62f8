// Counters of one decode loop, read by tests (proof of batching) and benchmarks (how much of the wall time
// is native decoding versus the runtime's own bookkeeping).
namespace Socratic.Inference.Scheduling;

/// <param name="DecodeCalls">Native decode calls made (one per loop step).</param>
/// <param name="DecodedTokens">Tokens submitted across those calls (prefill and generated).</param>
/// <param name="DecodeTime">Wall time spent inside native decode calls.</param>
/// <param name="SampleTime">Wall time spent sampling, detokenizing and streaming after each decode.</param>
public sealed record SchedulerStats(long DecodeCalls, long DecodedTokens, TimeSpan DecodeTime, TimeSpan SampleTime);
