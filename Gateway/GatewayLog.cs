namespace Observability.Gateway;

/// <summary>The Gateway's log messages.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Workflow run {RunId} queued for session {SessionId}")]
    public static partial void RunQueued(ILogger logger, Guid runId, string sessionId);

    [LoggerMessage(2, LogLevel.Warning, "Relaying the outbox failed; retrying in {Backoff}")]
    public static partial void RelayFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(3, LogLevel.Debug, "Relayed {Count} outbox messages")]
    public static partial void Relayed(ILogger logger, int count);
}
