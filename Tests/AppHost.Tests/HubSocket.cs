using System.Net.WebSockets;
using System.Text.Json;

namespace Observability.AppHost.Tests;

/// <summary>A client of the WebSocketHub's <c>/ws</c> protocol (WebSocketHub/README.md): subscribe to a run, read its frames.</summary>
internal sealed class HubSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public static async Task<HubSocket> ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        var client = new HubSocket();
        await client._socket.ConnectAsync(new Uri($"ws://{hub.Authority}/ws"), cancellationToken);
        return client;
    }

    /// <summary>
    /// Subscribes to the run and reads the replayed events, "subscribed", then live events until the run's final event;
    /// returns every event frame in order.
    /// </summary>
    public async Task<List<JsonElement>> ReadRunAsync(Guid runId, string? ticket, CancellationToken cancellationToken)
    {
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", runId, ticket }), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var events = new List<JsonElement>();
        var subscribed = false;
        var finished = false;
        while (!(subscribed && finished))
        {
            var frame = await ReceiveAsync(cancellationToken);
            var type = frame.GetProperty("type").GetString();
            Assert.True(type is "event" or "subscribed" or "heartbeat", $"Unexpected frame: {frame}");
            if (type == "subscribed")
            {
                Assert.Equal(runId, frame.GetProperty("runId").GetGuid());
                Assert.Equal(events.Count, frame.GetProperty("replayed").GetInt32());
                subscribed = true;
            }
            else if (type == "event")
            {
                Assert.False(finished, $"An event after the run's final event: {frame}");
                events.Add(frame);
                finished = EventType(frame) is "Completed" or "Failed" or "Cancelled";
            }
        }

        return events;
    }

    public static string? EventType(JsonElement frame) => frame.GetProperty("event").GetProperty("type").GetString();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        }

        _socket.Dispose();
    }

    /// <summary>One whole text frame as JSON; fails when the hub closes the connection instead.</summary>
    private async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            Assert.True(result.MessageType != WebSocketMessageType.Close, $"The hub closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return document.RootElement.Clone();
            }
        }
    }
}
