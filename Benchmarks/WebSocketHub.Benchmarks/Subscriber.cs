using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Observability.WebSocketHub.Benchmarks;

/// <summary>One benchmark client: subscribes to a session and counts the <c>event</c> frames it receives.</summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private static readonly byte[] EventPrefix = Encoding.UTF8.GetBytes("{\"type\":\"event\"");
    private readonly ClientWebSocket _socket;
    private readonly DeliveryCounter _counter;
    private readonly byte[] _buffer = new byte[16 * 1024];

    private Subscriber(ClientWebSocket socket, DeliveryCounter counter)
    {
        _socket = socket;
        _counter = counter;
    }

    public static async Task<Subscriber> ConnectAsync(Uri uri, string sessionId, string ticket, DeliveryCounter counter, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        var subscriber = new Subscriber(socket, counter);
        var subscribe = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["type"] = "subscribe", ["sessionId"] = sessionId, ["ticket"] = ticket });
        await socket.SendAsync(subscribe, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var frame = await subscriber.ReceiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The hub closed the connection while subscribing.");
            if (frame.Span.IndexOf("\"subscribed\""u8) >= 0)
            {
                return subscriber;
            }

            if (frame.Span.IndexOf("\"error\""u8) >= 0)
            {
                throw new InvalidOperationException("Subscribe refused: " + Encoding.UTF8.GetString(frame.Span));
            }
        }
    }

    /// <summary>Counts event frames until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (frame.Span.StartsWith(EventPrefix))
                {
                    _counter.Add();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && cancellationToken.IsCancellationRequested)
        {
            // The run is over (cancelling a receive aborts the socket, so the next call may report that state instead).
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, length);
            }
        }
    }
}
