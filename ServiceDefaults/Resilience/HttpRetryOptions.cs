namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// Retries of transient failures: HTTP 408, 429 and 5xx responses, <see cref="HttpRequestException"/> and attempt
/// timeouts. Requests with an unsafe method (POST, PUT, PATCH, DELETE, CONNECT) are retried only when they carry an
/// <c>Idempotency-Key</c> header. A cancellation by the caller is never retried.
/// </summary>
public sealed class HttpRetryOptions
{
    /// <summary>
    /// Retries after the first attempt (<c>HttpClient:Resilience:Retry:MaxRetryAttempts</c>). Default 3; 0 turns
    /// retries off; at most 10.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// Base of the exponential back-off: retry n waits about <c>BaseDelay * 2^(n-1)</c>
    /// (<c>HttpClient:Resilience:Retry:BaseDelay</c>). Default 2 seconds; 0 to 1 hour.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Randomises each back-off (decorrelated jitter) so clients that failed together do not retry together
    /// (<c>HttpClient:Resilience:Retry:UseJitter</c>). Default <see langword="true"/>.
    /// </summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The longest wait a <c>Retry-After</c> response header (delta-seconds or HTTP-date) may impose; a longer value
    /// is cut to this (<c>HttpClient:Resilience:Retry:MaxRetryAfterDelay</c>). Default 10 seconds; 0 to 1 hour. The
    /// total request timeout still bounds the whole request, waits included.
    /// </summary>
    public TimeSpan MaxRetryAfterDelay { get; set; } = TimeSpan.FromSeconds(10);
}
