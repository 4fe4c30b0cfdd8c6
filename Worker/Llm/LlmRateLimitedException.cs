namespace Observability.Worker.Llm;

/// <summary>The provider refused the call for rate limiting (HTTP 429), after any retries.</summary>
internal sealed class LlmRateLimitedException(string message, TimeSpan? retryAfter)
    : LlmException("429", message)
{
    /// <summary>How long the provider asked to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
