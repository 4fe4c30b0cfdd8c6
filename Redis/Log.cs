using Microsoft.Extensions.Logging;

namespace Observability.Redis;

/// <summary>The client's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis connection to {Endpoint} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Connecting to Redis at {Endpoint} failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, int attempt, long delayMs, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Connected to Redis at {Endpoint} after {Attempts} attempt(s)")]
    public static partial void Reconnected(ILogger logger, string endpoint, int attempts);

    [LoggerMessage(4, LogLevel.Warning, "Reading INFO stats from Redis at {Endpoint} failed")]
    public static partial void ServerStatsFailed(ILogger logger, string endpoint, Exception exception);
}
