namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The concurrency limiter that guards a client: past <see cref="PermitLimit"/> requests in flight, further requests
/// wait in a queue of <see cref="QueueLimit"/> and beyond that fail at once with
/// <see cref="HttpRateLimiterRejectedException"/>.
/// </summary>
public sealed class HttpRateLimiterOptions
{
    /// <summary>
    /// Requests allowed in flight at once (<c>HttpClient:Resilience:RateLimiter:PermitLimit</c>). Default 1000; at
    /// least 1.
    /// </summary>
    public int PermitLimit { get; set; } = 1000;

    /// <summary>
    /// Requests allowed to wait for a permit (<c>HttpClient:Resilience:RateLimiter:QueueLimit</c>). Default 0: over
    /// the limit a request fails fast instead of queueing behind a struggling dependency; at least 0.
    /// </summary>
    public int QueueLimit { get; set; }
}
