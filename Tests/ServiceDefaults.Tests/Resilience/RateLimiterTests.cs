using System.Net;
using Observability.ServiceDefaults.Resilience;

namespace Observability.ServiceDefaults.Tests.Resilience;

[Trait("Category", "Integration")]
public sealed class RateLimiterTests
{
    [Fact]
    public async Task Get_OverThePermitLimit_FailsFastWithoutReachingTheServer()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
            await LoopbackHttpServer.RespondAsync(context, 200);
        }, ct);
        await using var host = await ResilientClientHost.StartAsync([new("HttpClient:Resilience:RateLimiter:PermitLimit", "1")], ct);
        var client = host.CreateClient();

        var inFlight = client.GetAsync(server.Address, ct);
        await arrived.Task.WaitAsync(ct);
        var exception = await Assert.ThrowsAsync<HttpRateLimiterRejectedException>(() => client.GetAsync(server.Address, ct));
        release.SetResult();
        using var response = await inFlight;

        Assert.Contains("HttpClient:Resilience:RateLimiter:PermitLimit", exception.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, host.Measurements.Count("rate_limiter_rejected"));
    }
}
