namespace Observability.Worker.Llm;

/// <summary>
/// The simulated provider (<c>Llm:Simulated</c>). The same seed and the same request give the same reply, tokens
/// and latency; failures are drawn per request and attempt, so a retried request can succeed.
/// </summary>
internal sealed class SimulatedLlmOptions
{
    /// <summary>Seed of every random draw (<c>Llm:Simulated:Seed</c>). Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Median latency of a call, of a log-normal distribution (<c>Llm:Simulated:MedianLatency</c>). Default 800 ms;
    /// 0 (no delay at all) to 10 minutes.
    /// </summary>
    public TimeSpan MedianLatency { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// 95th percentile latency (<c>Llm:Simulated:P95Latency</c>). Default 2.5 seconds; at least
    /// <see cref="MedianLatency"/> and at most 10 minutes. Equal to the median gives a constant latency.
    /// </summary>
    public TimeSpan P95Latency { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>Fewest reply tokens (<c>Llm:Simulated:MinOutputTokens</c>). Default 20; at least 1.</summary>
    public int MinOutputTokens { get; set; } = 20;

    /// <summary>
    /// Most reply tokens before the request's <c>MaxOutputTokens</c> cuts the reply (finish reason <c>length</c>)
    /// (<c>Llm:Simulated:MaxOutputTokens</c>). Default 300; at least <see cref="MinOutputTokens"/>, at most 100000.
    /// </summary>
    public int MaxOutputTokens { get; set; } = 300;

    /// <summary>
    /// Share of attempts that fail like an HTTP 503 after the latency (<c>Llm:Simulated:FailureRate</c>). Default 0;
    /// 0 to 1, and with <see cref="RateLimitRate"/> at most 1.
    /// </summary>
    public double FailureRate { get; set; }

    /// <summary>
    /// Share of attempts refused at once like an HTTP 429 carrying <see cref="RetryAfter"/>
    /// (<c>Llm:Simulated:RateLimitRate</c>). Default 0; 0 to 1.
    /// </summary>
    public double RateLimitRate { get; set; }

    /// <summary>
    /// The wait a simulated 429 asks for (<c>Llm:Simulated:RetryAfter</c>). Default 1 second; 0 to 1 hour.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
