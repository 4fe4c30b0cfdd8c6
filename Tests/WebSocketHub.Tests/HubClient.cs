using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Observability.WebSocketHub.Tests;

/// <summary>A real <see cref="ClientWebSocket"/> speaking the hub's protocol, with helpers to read typed frames.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1024 * 1024];

    private HubClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<HubClient> ConnectAsync(Uri uri, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return new HubClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Sends <paramref name="bytes"/> as one message of <paramref name="type"/>, as they are (even when not UTF-8).</summary>
    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken) =>
        _socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);

    public Task SubscribeRunAsync(Guid runId, string ticket, CancellationToken cancellationToken, string? lastEventId = null) =>
        SendTextAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["type"] = "subscribe",
            ["runId"] = runId.ToString(),
            ["ticket"] = ticket,
            ["lastEventId"] = lastEventId,
        }), cancellationToken);

    public Task SubscribeSessionAsync(string sessionId, string ticket, CancellationToken cancellationToken, string? lastEventId = null) =>
        SendTextAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["type"] = "subscribe",
            ["sessionId"] = sessionId,
            ["ticket"] = ticket,
            ["lastEventId"] = lastEventId,
        }), cancellationToken);

    /// <summary>The next frame (heartbeats included), or null when the hub closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAnyAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(_buffer.AsMemory(0, length));
                return document.RootElement.Clone();
            }
        }
    }

    /// <summary>The next frame that is not a heartbeat; fails when the connection closes first.</summary>
    public async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReceiveAnyAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The hub closed the connection ({CloseStatus} {CloseStatusDescription}).");
            if (frame.GetProperty("type").GetString() != "heartbeat")
            {
                return frame;
            }
        }
    }

    /// <summary>The next non-heartbeat frame, asserted to be of <paramref name="type"/>.</summary>
    public async Task<JsonElement> ExpectAsync(string type, CancellationToken cancellationToken)
    {
        var frame = await ReceiveAsync(cancellationToken);
        Assert.True(frame.GetProperty("type").GetString() == type, $"Expected a '{type}' frame, got {frame}");
        return frame;
    }

    /// <summary>Reads frames of the <paramref name="allowed"/> types until one of type <paramref name="type"/>, and returns it.</summary>
    public async Task<JsonElement> ExpectAsync(string[] allowed, string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReceiveAsync(cancellationToken);
            var actual = frame.GetProperty("type").GetString();
            Assert.True(allowed.Contains(actual), $"Expected a '{type}' frame, got {frame}");
            if (actual == type)
            {
                return frame;
            }
        }
    }

    /// <summary>Reads the <c>event</c> frames of a replay up to the <c>subscribed</c> frame.</summary>
    public async Task<(List<JsonElement> Events, JsonElement Subscribed)> ReceiveReplayAsync(CancellationToken cancellationToken)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var frame = await ReceiveAsync(cancellationToken);
            switch (frame.GetProperty("type").GetString())
            {
                case "event":
                    events.Add(frame);
                    break;
                case "subscribed":
                    return (events, frame);
                default:
                    throw new InvalidOperationException($"Unexpected frame during a replay: {frame}");
            }
        }
    }

    /// <summary>Reads (and drops) frames until the hub's close frame; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync(CancellationToken cancellationToken)
    {
        while (await ReceiveAnyAsync(cancellationToken) is not null)
        {
        }

        return CloseStatus;
    }

    public Task CloseAsync(CancellationToken cancellationToken) =>
        _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public static long Sequence(JsonElement eventFrame) => eventFrame.GetProperty("event").GetProperty("sequence").GetInt64();

    public static string Id(JsonElement eventFrame) => eventFrame.GetProperty("id").GetString()!;
}
