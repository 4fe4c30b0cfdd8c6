namespace Observability.AppHost.Tests;

/// <summary>A workflow submitted to the gateway runs on a worker, and its events reach a client over the hub's WebSocket.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class WorkflowEventsTests(AppHostFixture fixture)
{
    [Fact]
    public async Task SubmittedWorkflow_Completes_AndItsEventsArriveInOrderOverTheHubsWebSocket()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var app = fixture.App;
        using var gateway = app.CreateHttpClient("gateway");
        var hub = app.GetEndpoint("websockethub", "http");

        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Compare three message brokers for an event-driven shop", "events-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        // The gateway got the hub's address from the reference the AppHost made (services__websockethub__http__0).
        Assert.StartsWith($"ws://{hub.Authority}/ws", submitted.GetProperty("eventsUrl").GetString(), StringComparison.Ordinal);

        await using var socket = await HubSocket.ConnectAsync(hub, cts.Token);
        var events = await socket.ReadRunAsync(runId, submitted.GetProperty("eventsTicket").GetString(), cts.Token);

        Assert.Equal("Completed", HubSocket.EventType(events[^1]));
        Assert.All(events, e => Assert.Equal(runId, e.GetProperty("event").GetProperty("runId").GetGuid()));
        var sequences = events.Select(e => e.GetProperty("event").GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
        Assert.Contains(events, e => HubSocket.EventType(e) == "StepCompleted");

        var run = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);
        Assert.Equal(run.GetProperty("steps").GetArrayLength(), events.Count(e => HubSocket.EventType(e) == "StepCompleted"));
    }
}
