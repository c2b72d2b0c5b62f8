// Rate limits for actions taken from interactive pages. Those arrive over the Blazor circuit, not as HTTP
// requests, so the rate-limiting middleware never sees them; the same per-user windows apply here instead
// (same numbers as the API's policies in AuthSetup, counted separately).
using System.Threading.RateLimiting;

namespace Socratic.Web.Auth;

public sealed class UiRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _runs = Create(AuthSetup.RunWindow);
    private readonly PartitionedRateLimiter<string> _admin = Create(AuthSetup.AdminWindow);

    /// <summary>True when <paramref name="user"/> may start or cancel another run now.</summary>
    public bool TryRun(string user) => Acquire(_runs, user);

    /// <summary>True when <paramref name="user"/> may take another admin action now.</summary>
    public bool TryAdmin(string user) => Acquire(_admin, user);

    public void Dispose()
    {
        _runs.Dispose();
        _admin.Dispose();
    }

    private static bool Acquire(PartitionedRateLimiter<string> limiter, string user)
    {
        using var lease = limiter.AttemptAcquire(user);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Create(Func<FixedWindowRateLimiterOptions> window) =>
        PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(user, _ => window()));
}
