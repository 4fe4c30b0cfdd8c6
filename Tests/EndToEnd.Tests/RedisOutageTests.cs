using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>With Redis down, a submit is still accepted (the outbox holds the job); once Redis returns, the run completes.</summary>
[Trait("Category", "Integration")]
public sealed class RedisOutageTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Submit_RedisDown_Accepted202AndCompletesAfterRedisReturns()
    {
        using var timeout = TestTimeout.Start(150);
        await using var platform = await fixture.StartDedicatedAsync(new PlatformOptions { StartHub = false }, timeout.Token);

        await platform.Redis.KillAsync();
        var run = await platform.Api.SubmitAsync("translate the onboarding guide into French", timeout.Token);
        var whileDown = await platform.Api.GetAsync(run.RunId, timeout.Token);
        Assert.Equal("Queued", whileDown.Status);

        await platform.Redis.RestartAsync();

        // The gateway's outbox relay publishes the job once Redis is back (the restarted Redis starts empty); the
        // worker's reconciliation of the emptied Redis may add a second entry, which the run's start skips.
        await Poll.UntilAsync(
            _ => platform.Redis.RawCommandAsync("XLEN", "workflows.jobs"), reply => reply is ":1" or ":2", TimeSpan.FromSeconds(30),
            reply => $"XLEN workflows.jobs answered {reply}", timeout.Token);
        var final = await platform.WaitForFinalAsync(run.RunId, TimeSpan.FromSeconds(60), timeout.Token);

        Assert.True(final.Status == "Completed", $"{final}{Environment.NewLine}{platform.Logs}");
        Assert.Equal(1, final.AttemptCount);
        Assert.All(final.Steps, s => Assert.Equal("Completed", s.Status));
    }
}
