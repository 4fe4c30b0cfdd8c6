using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Observability.Monitoring.Tests.Live;

/// <summary>What a user does: submits workflows, reads them, follows one over the WebSocket, asks for a missing page.</summary>
internal static class SampleTraffic
{
    public static async Task<Guid> SubmitAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        var submitted = await SubmitWithLinksAsync(gateway, cancellationToken);
        return submitted.GetProperty("runId").GetGuid();
    }

    /// <summary>Submits <paramref name="runs"/> workflows, reads each, follows the first to its end over the hub, closes normally.</summary>
    public static async Task RunAsync(MonitoringStack stack, int runs, CancellationToken cancellationToken)
    {
        using var gateway = new HttpClient { BaseAddress = stack.Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        var first = await SubmitWithLinksAsync(gateway, cancellationToken);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(first.GetProperty("eventsUrl").GetString()!), cancellationToken);
        var subscribe = JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", runId = first.GetProperty("runId").GetGuid(), ticket = first.GetProperty("eventsTicket").GetString() });
        await socket.SendAsync(subscribe, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

        for (var i = 1; i < runs; i++)
        {
            var runId = await SubmitAsync(gateway, cancellationToken);
            using (await gateway.GetAsync(new Uri($"/api/workflows/{runId}", UriKind.Relative), cancellationToken))
            {
            }
        }

        using (await gateway.GetAsync(new Uri("/does-not-exist", UriKind.Relative), cancellationToken))
        {
        }

        // Frames until the run's final event, then a normal close: the hub records a duration and a close reason.
        var buffer = new byte[64 * 1024];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            var frame = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (result.MessageType == WebSocketMessageType.Close || frame.Contains("\"completed\"", StringComparison.OrdinalIgnoreCase) || frame.Contains("\"failed\"", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
    }

    private static async Task<JsonElement> SubmitWithLinksAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync(
            new Uri("/api/workflows", UriKind.Relative),
            new { task = "Compare three vector databases for a RAG system and write the answer", sessionId = "monitoring-tests" },
            cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
