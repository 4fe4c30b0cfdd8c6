using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>Log messages of the HTTP resilience pipeline.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning,
        Message = "HTTP client {ClientName}: retrying {HttpMethod} to {ServerAddress} (retry {RetryNumber}) in {RetryDelayMs} ms after {ErrorType}")]
    public static partial void Retrying(ILogger logger, string clientName, string httpMethod, string serverAddress,
        int retryNumber, double retryDelayMs, string errorType);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error,
        Message = "HTTP client {ClientName}: circuit opened for {BreakDurationMs} ms after {ErrorType}")]
    public static partial void CircuitOpened(ILogger logger, string clientName, double breakDurationMs, string errorType);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information,
        Message = "HTTP client {ClientName}: circuit half-open, letting one trial request through")]
    public static partial void CircuitHalfOpened(ILogger logger, string clientName);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "HTTP client {ClientName}: circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string clientName);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning,
        Message = "HTTP client {ClientName}: attempt timed out after {TimeoutMs} ms")]
    public static partial void AttemptTimedOut(ILogger logger, string clientName, double timeoutMs);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Warning,
        Message = "HTTP client {ClientName}: request timed out after the total request timeout of {TimeoutMs} ms")]
    public static partial void TotalTimedOut(ILogger logger, string clientName, double timeoutMs);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Warning,
        Message = "HTTP client {ClientName}: request rejected, {PermitLimit} requests in flight and the queue of {QueueLimit} is full")]
    public static partial void RateLimited(ILogger logger, string clientName, int permitLimit, int queueLimit);
}
