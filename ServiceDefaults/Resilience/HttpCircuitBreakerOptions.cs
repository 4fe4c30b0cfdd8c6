namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The circuit breaker of a client: when at least <see cref="MinimumThroughput"/> attempts were made within
/// <see cref="SamplingDuration"/> and <see cref="FailureRatio"/> of them failed transiently, further requests fail at
/// once with <c>Polly.CircuitBreaker.BrokenCircuitException</c> for <see cref="BreakDuration"/>; then one trial
/// request decides whether the circuit closes again.
/// </summary>
public sealed class HttpCircuitBreakerOptions
{
    /// <summary>
    /// Share of failed attempts that opens the circuit (<c>HttpClient:Resilience:CircuitBreaker:FailureRatio</c>).
    /// Default 0.1 (10%); greater than 0 and at most 1.
    /// </summary>
    public double FailureRatio { get; set; } = 0.1;

    /// <summary>
    /// Window over which the failure ratio is measured (<c>HttpClient:Resilience:CircuitBreaker:SamplingDuration</c>).
    /// Default 30 seconds; at least 500 ms and at least twice <see cref="HttpResilienceOptions.AttemptTimeout"/>.
    /// </summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Attempts needed in the window before the ratio counts
    /// (<c>HttpClient:Resilience:CircuitBreaker:MinimumThroughput</c>). Default 100; at least 2.
    /// </summary>
    public int MinimumThroughput { get; set; } = 100;

    /// <summary>
    /// How long an open circuit rejects requests (<c>HttpClient:Resilience:CircuitBreaker:BreakDuration</c>).
    /// Default 5 seconds; 500 ms to 1 day.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
