using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>A submitted task runs to completion, and a WebSocket client sees every event of it in order.</summary>
[Trait("Category", "Integration")]
public sealed class SubmitWorkflowTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Submit_RunCompletes_EveryEventArrivesInOrderOverWebSocket()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);

        var run = await platform.Api.SubmitAsync("research three vendors and compare their prices", timeout.Token);
        await using var hub = await HubClient.SubscribeAsync(run, null, timeout.Token);
        var events = await hub.ReceiveEventsUntilAsync(f => f.EventType is "Completed" or "Failed" or "Cancelled", timeout.Token);

        EventAssertions.AssertCompleteSequence(events, run.RunId);
        Assert.Contains(events[0].EventType, (string[])["Queued", "Planned"]);
        Assert.Equal("Completed", events[^1].EventType);

        // "subscribed" follows the replayed events: after Completed when the run finished before the subscribe.
        if (!hub.Received.Any(f => f.Type == "subscribed"))
        {
            Assert.Empty(await hub.ReceiveEventsUntilAsync(f => f.Type == "subscribed", timeout.Token));
        }

        var subscribed = Assert.Single(hub.Received, f => f.Type == "subscribed");
        Assert.Equal(
            hub.Received.TakeWhile(f => f.Type != "subscribed").Count(f => f.IsEvent),
            subscribed.Root.GetProperty("replayed").GetInt32());

        var details = await platform.Api.GetAsync(run.RunId, timeout.Token);
        Assert.Equal("Completed", details.Status);
        Assert.NotNull(details.Plan);
        Assert.NotEmpty(details.Steps);
        Assert.Equal(details.Plan.Value.GetProperty("steps").GetArrayLength(), details.Steps.Count);
        Assert.All(details.Steps, step =>
        {
            Assert.Equal("Completed", step.Status);
            Assert.False(string.IsNullOrWhiteSpace(step.Agent));
            Assert.False(string.IsNullOrWhiteSpace(step.Explanation));
            Assert.True(step.Tokens.Output > 0, $"Step {step.Id} has no output tokens.");
        });
        Assert.True(details.Tokens.Input > 0 && details.Tokens.Output > 0, $"Run tokens: {details.Tokens}");
        Assert.Equal(details.Tokens.Input + details.Tokens.Output, details.Tokens.Total);
        Assert.True(details.Tokens.Total >= details.Steps.Sum(s => s.Tokens.Total), "The run counts fewer tokens than its steps.");
        Assert.True(details.Cost > 0, $"Run cost is {details.Cost}.");
        Assert.Equal(details.Steps.Count, events.Count(e => e.EventType == "StepStarted"));
        Assert.Equal(details.Steps.Count, events.Count(e => e.EventType == "StepCompleted"));
        Assert.Equal(run.TraceId, details.TraceId);
    }
}
