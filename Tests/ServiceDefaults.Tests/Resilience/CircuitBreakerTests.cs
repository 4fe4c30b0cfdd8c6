using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace Observability.ServiceDefaults.Tests.Resilience;

[Trait("Category", "Integration")]
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Get_FailuresOverTheRatio_OpensFailsFastThenClosesAfterTheBreak()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var clock = new AdjustableTimeProvider();
        await using var server = await LoopbackHttpServer.StartAsync((context, attempt) =>
            LoopbackHttpServer.RespondAsync(context, attempt <= 2 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK), ct);
        await using var host = await ResilientClientHost.StartAsync(
        [
            new("HttpClient:Resilience:Retry:MaxRetryAttempts", "0"),
            new("HttpClient:Resilience:CircuitBreaker:MinimumThroughput", "2"),
            new("HttpClient:Resilience:CircuitBreaker:FailureRatio", "0.5"),
            new("HttpClient:Resilience:CircuitBreaker:BreakDuration", "00:00:05"),
        ], ct, services => services.AddSingleton<TimeProvider>(clock));
        var client = host.CreateClient();

        using (var first = await client.GetAsync(server.Address, ct))
        using (var second = await client.GetAsync(server.Address, ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(server.Address, ct));
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(1, host.Measurements.Count("circuit_opened"));

        clock.Advance(TimeSpan.FromSeconds(6));
        using (var trial = await client.GetAsync(server.Address, ct))
        using (var after = await client.GetAsync(server.Address, ct))
        {
            Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        Assert.Equal(4, server.RequestCount);
        Assert.Equal(["circuit_opened", "circuit_half_opened", "circuit_closed"], host.Measurements.Events);
        Assert.Equal([8002, 8003, 8004], host.Logs.Records.Select(record => record.EventId.Id).Where(id => id is >= 8002 and <= 8004));
    }
}
