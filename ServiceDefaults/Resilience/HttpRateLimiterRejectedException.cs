using Polly;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// Thrown at once, without sending anything, when a client already has
/// <c>HttpClient:Resilience:RateLimiter:PermitLimit</c> requests in flight and its queue is full.
/// </summary>
public sealed class HttpRateLimiterRejectedException : ExecutionRejectedException
{
    public HttpRateLimiterRejectedException()
    {
    }

    public HttpRateLimiterRejectedException(string message)
        : base(message)
    {
    }

    public HttpRateLimiterRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
