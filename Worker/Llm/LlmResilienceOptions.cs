namespace Observability.Worker.Llm;

/// <summary>
/// The resilience pipeline around every model call (<c>Llm:Resilience</c>), outer to inner: total timeout, retry
/// (honouring <c>Retry-After</c>), circuit breaker, attempt timeout. The same pipeline serves every provider.
/// </summary>
internal sealed class LlmResilienceOptions
{
    /// <summary>
    /// Retries of a transiently failed call: 408, 429, 5xx, connection failures and attempt timeouts
    /// (<c>Llm:Resilience:MaxRetryAttempts</c>). Default 3; 0 to 10.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// Delay before the first retry, doubled for each further one, with jitter (<c>Llm:Resilience:BaseDelay</c>); a
    /// longer <c>Retry-After</c> from the provider wins. Default 1 second; 0 to 1 minute.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before one retry, <c>Retry-After</c> included (<c>Llm:Resilience:MaxDelay</c>). Default 1 minute.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Randomise the back-off (<c>Llm:Resilience:UseJitter</c>). Default <see langword="true"/>.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The longest one attempt may take (<c>Llm:Resilience:AttemptTimeout</c>). Default 2 minutes (a long generation
    /// takes that); 10 ms to 1 hour.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest a call may take, every retry and wait included (<c>Llm:Resilience:TotalTimeout</c>). Default
    /// 5 minutes; at least <see cref="AttemptTimeout"/>, at most 1 hour.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Share of failed attempts in <see cref="BreakerSamplingDuration"/> that opens the circuit
    /// (<c>Llm:Resilience:BreakerFailureRatio</c>); an open circuit fails calls at once for
    /// <see cref="BreakDuration"/>. Default 0.5; above 0, at most 1.
    /// </summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the window before the ratio counts (<c>Llm:Resilience:BreakerMinimumThroughput</c>). Default 20; at least 2.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window the failure ratio is measured over (<c>Llm:Resilience:BreakerSamplingDuration</c>). Default 30 seconds; at least 500 ms.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit rejects calls (<c>Llm:Resilience:BreakDuration</c>). Default 15 seconds; at least 500 ms.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
