using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Observability.WebSocketHub.Telemetry;

/// <summary>
/// The hub's ActivitySource and Meter (<c>Observability.WebSocketHub</c>, recorded by ServiceDefaults' pipeline
/// through its <c>Observability.*</c> wildcard). Names are listed in WebSocketHub/README.md.
/// </summary>
internal sealed class HubTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Observability.WebSocketHub";

    /// <summary>The attribute holding the close reason on <c>websockethub.disconnects</c> and <c>websockethub.connection.duration</c>.</summary>
    public const string CloseReasonAttribute = "websockethub.close.reason";

    /// <summary>The attribute holding how many local subscriptions an event was delivered to.</summary>
    public const string RecipientsAttribute = "websockethub.recipients";

    /// <summary>The run the delivered event belongs to.</summary>
    public const string RunIdAttribute = "workflow.run.id";

    /// <summary>The delivery spans (<c>workflows.events process</c>), children of the publisher's span.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly UpDownCounter<long> _activeConnections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _bytesReceived;

    public HubTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _activeConnections = meter.CreateUpDownCounter<long>("websockethub.connections.active", "{connection}", "WebSocket connections open now.");
        _connectionDuration = meter.CreateHistogram<double>("websockethub.connection.duration", "s", "How long WebSocket connections lasted, by websockethub.close.reason.");
        _disconnects = meter.CreateCounter<long>("websockethub.disconnects", "{connection}", "WebSocket connections ended, by websockethub.close.reason.");
        _messagesSent = meter.CreateCounter<long>("websockethub.messages.sent", "{message}", "Frames sent to clients (events, heartbeats, replies).");
        _messagesReceived = meter.CreateCounter<long>("websockethub.messages.received", "{message}", "Frames received from clients.");
        _bytesSent = meter.CreateCounter<long>("websockethub.bytes.sent", "By", "Payload bytes sent to clients.");
        _bytesReceived = meter.CreateCounter<long>("websockethub.bytes.received", "By", "Payload bytes received from clients.");
    }

    public void ConnectionOpened() => _activeConnections.Add(1);

    public void ConnectionClosed(DisconnectReason reason, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(CloseReasonAttribute, ReasonName(reason));
        _activeConnections.Add(-1);
        _disconnects.Add(1, tag);
        _connectionDuration.Record(duration.TotalSeconds, tag);
    }

    public void Sent(int bytes)
    {
        _messagesSent.Add(1);
        _bytesSent.Add(bytes);
    }

    public void Received(int bytes)
    {
        _messagesReceived.Add(1);
        _bytesReceived.Add(bytes);
    }

    public static string ReasonName(DisconnectReason reason) => reason switch
    {
        DisconnectReason.Normal => "normal",
        DisconnectReason.SlowConsumer => "slow_consumer",
        DisconnectReason.MessageTooBig => "message_too_big",
        DisconnectReason.Policy => "policy",
        DisconnectReason.GoingAway => "going_away",
        _ => "error",
    };
}
