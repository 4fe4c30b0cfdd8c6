using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.ServiceDefaults.Tests.Resilience;

namespace Observability.ServiceDefaults.Tests.ServiceDiscovery;

[Trait("Category", "Integration")]
public sealed class ResilienceWithDiscoveryTests
{
    [Fact]
    public async Task Get_FirstEndpointFails_RetryResolvesAgainAndLandsOnTheOther()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var failing = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var healthy = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:svc:http:0", failing.Address.ToString()), new("services:svc:http:1", healthy.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://svc/work"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, failing.RequestCount);
        Assert.Equal(1, healthy.RequestCount);
        Assert.Equal(1, host.Measurements.Count("retry"));
    }

    [Fact]
    public async Task Get_FirstEndpointRefusesConnections_RetryLandsOnTheOther()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        Uri closed;
        await using (var stopped = await LoopbackHttpServer.StartOkAsync(ct))
        {
            closed = stopped.Address;
        }

        await using var healthy = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:svc:http:0", closed.ToString()), new("services:svc:http:1", healthy.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://svc/work"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, healthy.RequestCount);
        Assert.Equal(1, host.Measurements.Count("retry"));
    }

    [Fact]
    public async Task AddServiceDefaults_FirstEndpointFails_ResilienceWrapsDiscoverySoTheRetryLandsOnTheOther()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var failing = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var healthy = await LoopbackHttpServer.StartOkAsync(ct);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
        [
            new("HttpClient:Resilience:Retry:BaseDelay", "00:00:00.010"),
            new("services:svc:http:0", failing.Address.ToString()),
            new("services:svc:http:1", healthy.Address.ToString()),
        ]);
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient();
        using var host = builder.Build();
        await host.StartAsync(ct);

        using (var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient().GetAsync(new Uri("http://svc/"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, failing.RequestCount);
        Assert.Equal(1, healthy.RequestCount);
        await host.StopAsync(ct);
    }
}
