using System.Net;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>Every HttpClient resolves logical names (<c>http://backend</c>) from <c>services:{name}:{endpoint}:{index}</c>.</summary>
[Trait("Category", "Integration")]
public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task Get_LogicalServiceName_ReachesTheConfiguredEndpoint()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:backend:http:0", server.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://backend/orders?id=7"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/orders?id=7", request.PathAndQuery);
    }

    [Fact]
    public async Task Get_ServiceUnavailableThenOkThroughDiscovery_Retried()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, attempt) => LoopbackHttpServer.RespondAsync(context, attempt == 1 ? 503 : 200), ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:backend:http:0", server.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://backend/work"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }
}
