using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub;

/// <summary>The hub's log messages.</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Subscribed to {Channel} for live workflow events")]
    public static partial void ListenerSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Subscribing to {Channel} failed; retrying in {Backoff}")]
    public static partial void ListenerSubscribeFailed(ILogger logger, Exception exception, string channel, TimeSpan backoff);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Ignored a message on {Channel} that is not a published workflow event ({Length} bytes)")]
    public static partial void UnreadableEvent(ILogger logger, string channel, int length);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "WebSocket connection {ConnectionId} opened")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "WebSocket connection {ConnectionId} closed ({Reason}) after {Duration}")]
    public static partial void ConnectionClosed(ILogger logger, string connectionId, DisconnectReason reason, TimeSpan duration);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "WebSocket connection {ConnectionId} is too slow: more than {MaxQueuedMessages} frames queued; closing it with 4000")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, int maxQueuedMessages);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Refused a WebSocket request from origin {Origin}")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Connection {ConnectionId} refused a frame: {Code} ({Field})")]
    public static partial void FrameRefused(ILogger logger, string connectionId, string code, string? field);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Replaying {Stream} for connection {ConnectionId} failed")]
    public static partial void ReplayFailed(ILogger logger, Exception exception, string stream, string connectionId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The subscription to {Channel} was re-established; re-syncing {Count} subscriptions from their streams")]
    public static partial void ListenerReestablished(ILogger logger, string channel, int count);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "The listener on {Channel} fell behind and {Dropped} messages were dropped; re-syncing {Count} subscriptions from their streams")]
    public static partial void ListenerFellBehind(ILogger logger, string channel, long dropped, int count);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "The listener on {Channel} received publication {Received} after {Last}: publications were missed; re-syncing {Count} subscriptions from their streams")]
    public static partial void ListenerMissedPublications(ILogger logger, string channel, long last, long received, int count);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Re-syncing {Stream} for connection {ConnectionId} failed; retrying in {Backoff}")]
    public static partial void ResyncFailed(ILogger logger, Exception exception, string stream, string connectionId, TimeSpan backoff);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Reading the state of run {RunId} from PostgreSQL failed; connection {ConnectionId} is not told whether the run ended before its stream says so")]
    public static partial void RunStateUnavailable(ILogger logger, Exception exception, Guid runId, string connectionId);
}
