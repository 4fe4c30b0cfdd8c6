namespace Observability.Gateway;

/// <summary>The Gateway's log messages.</summary>
internal static partial class GatewayLog
{
    /// <summary>
    /// Debug, not Information: one line per submit through the JSON console formatter, its masking and the OTLP log
    /// exporter was ~5 % of the Gateway's CPU under a submit load (perf, 2026-12-04), and says nothing the run's row and
    /// its <c>workflow submit</c> span (with the run id) do not.
    /// </summary>
    [LoggerMessage(1, LogLevel.Debug, "Workflow run {RunId} queued for session {SessionId}")]
    public static partial void RunQueued(ILogger logger, Guid runId, string sessionId);

    [LoggerMessage(2, LogLevel.Warning, "Relaying the outbox failed; retrying in {Backoff}")]
    public static partial void RelayFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(3, LogLevel.Debug, "Relayed {Count} outbox messages")]
    public static partial void Relayed(ILogger logger, int count);
}
