namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The standard resilience pipeline of every <see cref="HttpClient"/>, outer to inner: rate limiter, total request
/// timeout, retry, circuit breaker, attempt timeout. Bound from configuration section <c>HttpClient:Resilience</c>;
/// a named client overlays <c>HttpClient:Resilience:{name}</c>. Validated at start-up.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "HttpClient:Resilience";

    /// <summary>Concurrency limiter in front of everything (<c>HttpClient:Resilience:RateLimiter</c>).</summary>
    public HttpRateLimiterOptions RateLimiter { get; } = new();

    /// <summary>
    /// The longest a caller waits for one logical request, every retry and back-off included
    /// (<c>HttpClient:Resilience:TotalRequestTimeout</c>). Default 30 seconds; 10 ms to 24 hours.
    /// </summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient failures (<c>HttpClient:Resilience:Retry</c>).</summary>
    public HttpRetryOptions Retry { get; } = new();

    /// <summary>Circuit breaker per client (<c>HttpClient:Resilience:CircuitBreaker</c>).</summary>
    public HttpCircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// The longest one attempt may take before it is abandoned and retried
    /// (<c>HttpClient:Resilience:AttemptTimeout</c>). Default 10 seconds; 10 ms to 24 hours and less than
    /// <see cref="TotalRequestTimeout"/>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
