using System.Net.WebSockets;
using System.Text.Json;

namespace Observability.Hosting.Tests;

/// <summary>A workflow submitted to the gateway runs on a worker, and its events reach a client over the hub's WebSocket.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class WorkflowEventsTests(AppHostFixture fixture)
{
    [Fact]
    public async Task SubmittedWorkflow_Completes_AndItsEventsArriveInOrderOverTheHubsWebSocket()
    {
        using var cts = TestApps.Timeout(90);
        var app = fixture.App;
        await TestApps.WaitAllHealthyAsync(app, ["gateway", "worker", "websockethub"], cts.Token);
        using var gateway = app.CreateHttpClient("gateway");
        var hub = app.GetEndpoint("websockethub", "http");

        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Compare three message brokers for an event-driven shop", "events-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        var ticket = submitted.GetProperty("eventsTicket").GetString();
        Assert.StartsWith($"ws://{hub.Authority}/ws", submitted.GetProperty("eventsUrl").GetString(), StringComparison.Ordinal);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{hub.Authority}/ws"), cts.Token);
        await SendAsync(socket, new { type = "subscribe", runId, ticket }, cts.Token);

        // Replayed events, then "subscribed", then live events: read until both "subscribed" and the run's final event came.
        var events = new List<JsonElement>();
        var subscribed = false;
        var finished = false;
        while (!(subscribed && finished))
        {
            var frame = await ReceiveAsync(socket, cts.Token);
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

        Assert.Equal("Completed", EventType(events[^1]));
        Assert.All(events, e => Assert.Equal(runId, e.GetProperty("runId").GetGuid()));
        Assert.All(events, e => Assert.Equal(runId, e.GetProperty("event").GetProperty("runId").GetGuid()));
        var sequences = events.Select(e => e.GetProperty("event").GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Contains(events, e => EventType(e) == "StepCompleted");

        var run = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);
        Assert.Equal(run.GetProperty("steps").GetArrayLength(), events.Count(e => EventType(e) == "StepCompleted"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
    }

    private static string? EventType(JsonElement frame) => frame.GetProperty("event").GetProperty("type").GetString();

    private static Task SendAsync(ClientWebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>One whole text frame as JSON; fails when the hub closes the connection instead.</summary>
    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
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
