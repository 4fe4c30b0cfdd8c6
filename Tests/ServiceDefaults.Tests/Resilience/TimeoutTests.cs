namespace Observability.ServiceDefaults.Tests.Resilience;

[Trait("Category", "Integration")]
public sealed class TimeoutTests
{
    [Fact]
    public async Task Get_EveryAttemptHangs_FailsWithTimeoutExceptionNamingTotalRequestTimeout()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync((context, _) => LoopbackHttpServer.HangAsync(context), ct);
        await using var host = await ResilientClientHost.StartAsync(
        [
            new("HttpClient:Resilience:TotalRequestTimeout", "00:00:00.500"),
            new("HttpClient:Resilience:AttemptTimeout", "00:00:00.200"),
        ], ct);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => host.CreateClient().GetAsync(server.Address, ct));

        Assert.Contains("HttpClient:Resilience:TotalRequestTimeout", exception.Message, StringComparison.Ordinal);
        // 500 ms leave room for at most three 200 ms attempts; the total timeout, not exhausted retries, ended it.
        Assert.InRange(server.RequestCount, 0, 3);
        Assert.Equal(1, host.Measurements.Count("total_timeout"));
    }

    [Fact]
    public async Task Get_EveryAttemptHangsWithRetriesOff_FailsWithTimeoutExceptionNamingAttemptTimeout()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync((context, _) => LoopbackHttpServer.HangAsync(context), ct);
        await using var host = await ResilientClientHost.StartAsync(
        [
            new("HttpClient:Resilience:Retry:MaxRetryAttempts", "0"),
            new("HttpClient:Resilience:AttemptTimeout", "00:00:00.200"),
        ], ct);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => host.CreateClient().GetAsync(server.Address, ct));

        Assert.Contains("HttpClient:Resilience:AttemptTimeout", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }
}
