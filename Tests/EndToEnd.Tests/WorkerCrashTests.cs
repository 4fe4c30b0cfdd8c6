using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>
/// A worker killed mid-run (SIGKILL: nothing acknowledged, nothing released) does not lose the run: another worker
/// claims the job and the run completes exactly once in effect.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkerCrashTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Worker_KilledMidRun_AnotherWorkerCompletesTheRunOnce()
    {
        using var timeout = TestTimeout.Start(180);

        // The first worker's model takes 1 s a call, so the run is still mid-way when the kill lands.
        await using var platform = await fixture.StartDedicatedAsync(
            new PlatformOptions
            {
                WorkerSettings = new Dictionary<string, string>
                {
                    ["Llm__Simulated__MedianLatency"] = "00:00:01",
                    ["Llm__Simulated__P95Latency"] = "00:00:01",
                },
            },
            timeout.Token);
        var crashing = platform.Workers[0];
        var run = await platform.Api.SubmitAsync("reconcile the ledger against the bank statements", timeout.Token);

        // Mid-run, read from the database through the API: planned, one step done, others not.
        var midway = await platform.WaitForAsync(
            run.RunId, r => r.Status == "Running" && r.Steps.Any(s => s.Status == "Completed"), TimeSpan.FromSeconds(60), timeout.Token);
        await crashing.KillAsync(timeout.Token);

        var afterKill = await platform.Api.GetAsync(run.RunId, timeout.Token);
        Assert.True(afterKill.Status == "Running", $"The run was not mid-way when the worker died: {afterKill}");
        Assert.Contains(afterKill.Steps, s => s.Status != "Completed");

        // The survivor (a fast model) claims the entry the dead worker never acknowledged once it is idle for 5 s.
        await platform.StartWorkerAsync(
            new Dictionary<string, string>
            {
                ["Llm__Simulated__MedianLatency"] = "00:00:00.010",
                ["Llm__Simulated__P95Latency"] = "00:00:00.030",
            },
            timeout.Token);
        var final = await platform.WaitForFinalAsync(run.RunId, TimeSpan.FromSeconds(60), timeout.Token);

        Assert.True(final.Status == "Completed", $"{final}{Environment.NewLine}{platform.Logs}");
        Assert.True(final.AttemptCount >= 2, $"The survivor did not take the run over: {final}");
        var planned = final.Plan!.Value.GetProperty("steps").GetArrayLength();
        Assert.Equal(planned, final.Steps.Count);
        Assert.Equal(planned, final.Steps.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(final.Steps, s => Assert.Equal("Completed", s.Status));
        Assert.Equal(midway.Steps.Count, final.Steps.Count);

        // Exactly once in effect as a subscriber sees it too: one Completed event, sequences without gap or repeat.
        await using var hub = await HubClient.SubscribeAsync(run, null, timeout.Token);
        var events = await hub.ReceiveEventsUntilAsync(f => f.Type == "subscribed", timeout.Token);
        Assert.Single(events, e => e.EventType == "Completed");
        Assert.Equal("Completed", events[^1].EventType);
        EventAssertions.AssertCompleteSequence(events, run.RunId);
    }
}
