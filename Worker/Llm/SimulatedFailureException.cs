namespace Observability.Worker.Llm;

/// <summary>
/// The simulated provider's failure, as an OpenAI-compatible endpoint would answer: HTTP 503, or 429 with a
/// <c>Retry-After</c>. Transient: the resilience pipeline retries it.
/// </summary>
internal sealed class SimulatedFailureException(int statusCode, string message, TimeSpan? retryAfter = null)
    : Exception(message)
{
    /// <summary>The HTTP status the failure stands for (<c>429</c> or <c>503</c>).</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The wait a 429 asks for.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
