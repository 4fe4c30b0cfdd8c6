using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>A real WebSocket client of the hub's <c>/ws</c>, speaking its JSON frame protocol.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly List<HubFrame> _received = [];

    private HubClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Every frame received so far, heartbeats included, in arrival order.</summary>
    public IReadOnlyList<HubFrame> Received => _received;

    public static async Task<HubClient> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
            return new HubClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to the <c>eventsUrl</c> of a submit and subscribes to the run with its ticket.</summary>
    public static async Task<HubClient> SubscribeAsync(SubmittedRun run, string? lastEventId, CancellationToken cancellationToken)
    {
        Assert.False(string.IsNullOrEmpty(run.EventsUrl), "The submit response has no eventsUrl.");
        Assert.False(string.IsNullOrEmpty(run.EventsTicket), "The submit response has no eventsTicket.");
        var connection = await ConnectAsync(new Uri(run.EventsUrl), cancellationToken);
        try
        {
            await connection.SendAsync(
                lastEventId is null
                    ? new { type = "subscribe", runId = run.RunId, ticket = run.EventsTicket }
                    : new { type = "subscribe", runId = run.RunId, ticket = run.EventsTicket, lastEventId },
                cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects to <paramref name="eventsUrl"/>, subscribes to a session and waits for its <c>subscribed</c> frame.</summary>
    public static async Task<HubClient> SubscribeSessionAsync(string eventsUrl, string sessionId, string ticket, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(new Uri(eventsUrl), cancellationToken);
        try
        {
            await connection.SendAsync(new { type = "subscribe", sessionId, ticket }, cancellationToken);
            await connection.ReceiveEventsUntilAsync(f => f.Type == "subscribed", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task SendAsync(object frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, WorkflowsClient.Json);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>The next frame; throws when the hub closes the connection.</summary>
    public async Task<HubFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException(
                    $"The hub closed the connection ({result.CloseStatus} {result.CloseStatusDescription}) after: {string.Join(Environment.NewLine, _received)}");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var frame = new HubFrame(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                _received.Add(frame);
                return frame;
            }
        }
    }

    /// <summary>
    /// Receives until <paramref name="last"/> matches and returns the event frames received on the way (the last one
    /// included when it is an event). An <c>error</c> frame fails at once with its content.
    /// </summary>
    public async Task<IReadOnlyList<HubFrame>> ReceiveEventsUntilAsync(Func<HubFrame, bool> last, CancellationToken cancellationToken)
    {
        var events = new List<HubFrame>();
        while (true)
        {
            var frame = await ReceiveAsync(cancellationToken);
            if (frame.Type == "error")
            {
                throw new InvalidOperationException($"The hub answered an error frame: {frame}");
            }

            if (frame.IsEvent)
            {
                events.Add(frame);
            }

            if (last(frame))
            {
                return events;
            }
        }
    }

    /// <summary>Closes the connection from the client side (a normal close handshake).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
