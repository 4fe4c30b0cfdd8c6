namespace Observability.WebSocketHub.Configuration;

/// <summary>Options of the hub (section <c>WebSocketHub</c>), validated when the host starts.</summary>
internal sealed class WebSocketHubOptions
{
    public const string SectionName = "WebSocketHub";

    /// <summary>
    /// <c>WebSocketHub:AllowedOrigins</c>: the browser origins (<c>scheme://host[:port]</c>) allowed to open <c>/ws</c>;
    /// a request with another <c>Origin</c> header is refused with 403 before the upgrade. A request without an
    /// <c>Origin</c> header (a non-browser client) is always allowed. Default: none.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary><c>WebSocketHub:HeartbeatInterval</c>: how often a <c>heartbeat</c> frame is sent. Default 00:00:15.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>WebSocketHub:KeepAliveInterval</c>: WebSocket ping interval (protocol level). Default 00:00:30.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>WebSocketHub:MaxMessageBytes</c>: the largest client frame accepted; a longer one closes the connection
    /// with 1009. Default 4096.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 4096;

    /// <summary>
    /// <c>WebSocketHub:MaxQueuedMessages</c>: frames a connection may have waiting to be sent; beyond that the
    /// consumer is too slow and is closed with 4000. Default 1000.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary><c>WebSocketHub:MaxSubscriptionsPerConnection</c>: runs and sessions one connection may follow. Default 100.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>
    /// <c>WebSocketHub:MaxProtocolErrors</c>: bad frames (error replies) a connection may send before it is closed
    /// with 1008. Default 10.
    /// </summary>
    public int MaxProtocolErrors { get; set; } = 10;

    /// <summary>
    /// <c>WebSocketHub:SendTimeout</c>: how long one frame may take to be written to a client that does not read;
    /// past it the connection is aborted. Default 00:00:30.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>WebSocketHub:CloseTimeout</c>: how long the closing handshake may take before the socket is aborted. Default 00:00:05.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>WebSocketHub:ReplayPageSize</c>: stream entries read per XRANGE while replaying. Default 200.</summary>
    public int ReplayPageSize { get; set; } = 200;

    /// <summary>
    /// <c>WebSocketHub:RunStateTimeout</c>: how long reading a run's (or session's) state from PostgreSQL for a
    /// <c>truncated</c> frame may take (connecting included); past it the subscribe is answered <c>unavailable</c> (a
    /// re-sync retries). Default 00:00:05.
    /// </summary>
    public TimeSpan RunStateTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>WebSocketHub:EventLagTolerance</c>: how long a worker's event may take to reach Redis after PostgreSQL recorded
    /// the change it reports (clock skew between hosts included). A run that started less than this ago with no stream
    /// yet, or ended less than this ago without its final event in the stream, is checked again once this has passed
    /// (a re-sync of that subscription) rather than reported <c>truncated</c> at once. Default 00:00:02.
    /// </summary>
    public TimeSpan EventLagTolerance { get; set; } = TimeSpan.FromSeconds(2);
}
