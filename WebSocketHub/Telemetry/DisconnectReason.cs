namespace Observability.WebSocketHub.Telemetry;

/// <summary>Why a connection ended (the <c>websockethub.close.reason</c> attribute).</summary>
internal enum DisconnectReason
{
    /// <summary>A closing handshake started by the client or after it stopped (1000).</summary>
    Normal,

    /// <summary>The send queue passed <c>WebSocketHub:MaxQueuedMessages</c> (4000).</summary>
    SlowConsumer,

    /// <summary>A client frame was larger than <c>WebSocketHub:MaxMessageBytes</c> (1009).</summary>
    MessageTooBig,

    /// <summary>Too many bad frames (1008).</summary>
    Policy,

    /// <summary>The hub is shutting down (1001).</summary>
    GoingAway,

    /// <summary>The connection broke (reset, abort, timeout) without a closing handshake.</summary>
    Error,
}
