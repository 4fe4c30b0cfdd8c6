using System.Net;
using System.Text.Json;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>A long-running run cancelled through the API stops as Cancelled, and its subscribers are told.</summary>
[Trait("Category", "Integration")]
public sealed class CancelTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Cancel_RunningRun_StatusCancelledAndCancelledEventDelivered()
    {
        using var timeout = TestTimeout.Start(150);

        // A slow model: every call takes 2 s, so the run is still running when the cancel arrives.
        await using var platform = await fixture.StartDedicatedAsync(
            new PlatformOptions
            {
                WorkerSettings = new Dictionary<string, string>
                {
                    ["Llm__Simulated__MedianLatency"] = "00:00:02",
                    ["Llm__Simulated__P95Latency"] = "00:00:02",
                },
            },
            timeout.Token);
        var run = await platform.Api.SubmitAsync("audit every supplier contract for renewal terms", timeout.Token);
        await using var hub = await HubClient.SubscribeAsync(run, null, timeout.Token);
        var beforeCancel = await hub.ReceiveEventsUntilAsync(f => f.EventType == "StepStarted", timeout.Token);

        using var response = await platform.Api.CancelAsync(run.RunId, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Cancel answered {(int)response.StatusCode}: {text}");
        using (var body = JsonDocument.Parse(text))
        {
            Assert.Equal("Cancelled", body.RootElement.GetProperty("status").GetString());
        }

        var afterCancel = await hub.ReceiveEventsUntilAsync(f => f.EventType is "Cancelled" or "Completed" or "Failed", timeout.Token);

        Assert.Equal("Cancelled", afterCancel[^1].EventType);
        EventAssertions.AssertCompleteSequence([.. beforeCancel, .. afterCancel], run.RunId);
        var details = await platform.Api.GetAsync(run.RunId, timeout.Token);
        Assert.Equal("Cancelled", details.Status);
        Assert.NotNull(details.CompletedAt);

        // Nothing of a cancelled run stays "Running" (the step interrupted by the cancel included).
        await platform.WaitForAsync(run.RunId, r => r.Status == "Cancelled" && r.Steps.All(s => s.Status != "Running"), TimeSpan.FromSeconds(20), timeout.Token);
        using var again = await platform.Api.CancelAsync(run.RunId, timeout.Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
