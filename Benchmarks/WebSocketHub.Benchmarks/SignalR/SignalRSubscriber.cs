using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Observability.WebSocketHub.Benchmarks.SignalR;

/// <summary>
/// One benchmark client of the SignalR hub, speaking SignalR's JSON hub protocol over a plain <see cref="ClientWebSocket"/>
/// (WebSockets transport without negotiation): handshake, <c>Subscribe</c> invocation, then it counts the <c>event</c>
/// invocations it receives. It is the same receive loop as <see cref="Subscriber"/>'s, so that the clients, which share
/// the machine with the servers, cost the same for both (the SignalR .NET client would add its own protocol work).
/// </summary>
internal sealed class SignalRSubscriber : IAsyncDisposable
{
    /// <summary>SignalR's JSON protocol ends every message with the ASCII record separator.</summary>
    private const byte RecordSeparator = 0x1e;

    private static readonly byte[] EventPrefix = Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"event\"");
    private readonly ClientWebSocket _socket;
    private readonly DeliveryCounter _counter;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;

    private SignalRSubscriber(ClientWebSocket socket, DeliveryCounter counter)
    {
        _socket = socket;
        _counter = counter;
    }

    public static async Task<SignalRSubscriber> ConnectAsync(Uri serverUri, string sessionId, string ticket, DeliveryCounter counter, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(serverUri, SignalRServer.HubPath), cancellationToken).ConfigureAwait(false);
        var subscriber = new SignalRSubscriber(socket, counter);
        await subscriber.SendAsync("{\"protocol\":\"json\",\"version\":1}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        var handshake = await subscriber.NextRecordAsync(cancellationToken).ConfigureAwait(false);
        if (handshake != "{}")
        {
            throw new InvalidOperationException("SignalR handshake refused: " + handshake);
        }

        var invocation = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = 1,
            ["invocationId"] = "1",
            ["target"] = "Subscribe",
            ["arguments"] = new[] { sessionId, ticket },
        });
        await subscriber.SendAsync(invocation, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var record = await subscriber.NextRecordAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(record);
            if (document.RootElement.GetProperty("type").GetInt32() != 3)
            {
                continue; // a ping
            }

            return document.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.True
                ? subscriber
                : throw new InvalidOperationException("Subscribe refused: " + record);
        }
    }

    /// <summary>Counts <c>event</c> invocations until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pinging = PingAsync(cancellationToken);
        await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        await pinging.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Pings every 15 s as SignalR's clients do (<c>KeepAliveInterval</c>): the server closes a connection it has not
    /// heard from for 30 s (<c>ClientTimeoutInterval</c>), and these clients are idle while the other server is measured.
    /// </summary>
    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SendAsync("{\"type\":6}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The run is over, or the connection is gone (the receive loop ends too).
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                // One WebSocket message may carry several records, and a record may end in a later message.
                var data = _buffer.AsSpan(0, _buffered + result.Count);
                var start = 0;
                int end;
                while ((end = data[start..].IndexOf(RecordSeparator)) >= 0)
                {
                    if (data[start..].StartsWith(EventPrefix))
                    {
                        _counter.Add();
                    }

                    start += end + 1;
                }

                data[start..].CopyTo(_buffer);
                _buffered = data.Length - start;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && cancellationToken.IsCancellationRequested)
        {
            // The run is over (cancelling a receive aborts the socket, so the next call may report that state instead).
        }
    }

    private Task SendAsync(byte[] json, CancellationToken cancellationToken)
    {
        byte[] message = [.. json, RecordSeparator];
        return _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>Reads until one whole record is buffered and returns it (used only while connecting).</summary>
    private async Task<string> NextRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(0, _buffered).IndexOf(RecordSeparator);
            if (end >= 0)
            {
                var record = Encoding.UTF8.GetString(_buffer, 0, end);
                _buffer.AsSpan(end + 1, _buffered - end - 1).CopyTo(_buffer);
                _buffered -= end + 1;
                return record;
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The SignalR server closed the connection while connecting.");
            }

            _buffered += result.Count;
        }
    }
}
