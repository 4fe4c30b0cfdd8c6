using System.Net;
using System.Net.Security;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observability.ServiceDefaults.ServiceDiscovery;
using Observability.ServiceDefaults.Tests.Resilience;

namespace Observability.ServiceDefaults.Tests.ServiceDiscovery;

[Trait("Category", "Integration")]
public sealed class ServiceDiscoveryHandlerTests
{
    [Fact]
    public async Task Get_LogicalServiceName_ReachesTheConfiguredEndpointKeepingPathAndQuery()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync([new("services:svc:http:0", server.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://svc/orders/7?expand=lines"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/orders/7?expand=lines", request.PathAndQuery);
        Assert.Equal(server.Address.Authority, request.Host);
        Assert.Equal(new Uri("http://svc/orders/7?expand=lines"), response.RequestMessage!.RequestUri);
    }

    [Fact]
    public async Task Get_TwoEndpoints_AlternatesBetweenThem()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var first = await LoopbackHttpServer.StartOkAsync(ct);
        await using var second = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:svc:http:0", first.Address.ToString()), new("services:svc:http:1", second.Address.ToString())], ct);
        var client = host.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("http://svc/"), ct);
            response.EnsureSuccessStatusCode();
        }

        Assert.Equal(2, first.RequestCount);
        Assert.Equal(2, second.RequestCount);
    }

    [Fact]
    public async Task Get_HttpsPlusHttpWithOnlyHttpConfigured_FallsBackToHttp()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync([new("services:svc:http:0", server.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("https+http://svc/ping"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/ping", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Get_HttpsPlusHttpWithBothConfigured_UsesHttps()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var certificate = TestCertificate.Create();
        await using var tls = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, 200), ct, certificate);
        await using var plain = await LoopbackHttpServer.StartOkAsync(ct);
        var thumbprint = certificate.GetCertHashString();
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:svc:https:0", tls.Address.ToString()), new("services:svc:http:0", plain.Address.ToString())], ct,
            services => services.AddHttpClient("tls").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint,
                },
            }));

        using var response = await host.CreateClient("tls").GetAsync(new Uri("https+http://svc/"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, tls.Address.Scheme);
        Assert.Equal(1, tls.RequestCount);
        Assert.Equal(0, plain.RequestCount);
    }

    [Fact]
    public async Task Get_NamedEndpoint_ReachesTheNamedEndpoint()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var api = await LoopbackHttpServer.StartOkAsync(ct);
        await using var dashboard = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("services:svc:http:0", api.Address.ToString()), new("services:svc:dashboard:0", dashboard.Address.ToString())], ct);

        using var response = await host.CreateClient().GetAsync(new Uri("http://_dashboard.svc/"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, dashboard.RequestCount);
        Assert.Equal(0, api.RequestCount);
    }

    [Fact]
    public async Task Get_EndpointChangedInAJsonFileOnDisk_UsesTheNewEndpointWithoutRestart()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var before = await LoopbackHttpServer.StartOkAsync(ct);
        await using var after = await LoopbackHttpServer.StartOkAsync(ct);
        var directory = Directory.CreateTempSubdirectory("discovery-");
        try
        {
            var file = Path.Combine(directory.FullName, "services.json");
            await WriteEndpointAsync(file, before.Address, ct);
            await using var host = await ResilientClientHost.StartAsync([], ct,
                configuration: config => config.AddJsonFile(file, optional: false, reloadOnChange: true));
            var client = host.CreateClient();
            using (var first = await client.GetAsync(new Uri("http://svc/"), ct))
            {
                first.EnsureSuccessStatusCode();
            }

            await WriteEndpointAsync(file, after.Address, ct);
            while (after.RequestCount == 0)
            {
                ct.ThrowIfCancellationRequested();
                using var response = await client.GetAsync(new Uri("http://svc/"), ct);
                response.EnsureSuccessStatusCode();
            }

            Assert.Equal(1, after.RequestCount);
            Assert.True(before.RequestCount >= 1);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Get_UnconfiguredServiceName_FailsNamingTheMissingKeyWithoutRetrying()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await ResilientClientHost.StartAsync([], ct);

        var exception = await Assert.ThrowsAsync<ServiceEndpointNotFoundException>(
            () => host.CreateClient().GetAsync(new Uri("http://catalog/items"), ct));

        Assert.Contains("services:catalog:http:0", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Measurements.Count("retry"));
    }

    [Fact]
    public async Task Get_UnconfiguredLoopbackAddress_PassesThroughUnchanged()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartOkAsync(ct);
        await using var host = await ResilientClientHost.StartAsync([], ct);

        using var response = await host.CreateClient().GetAsync(new Uri(server.Address, "/direct"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/direct", Assert.Single(server.Requests).PathAndQuery);
    }

    /// <summary>Writes a temporary file and moves it into place, so a reload never reads a half-written file.</summary>
    private static async Task WriteEndpointAsync(string file, Uri endpoint, CancellationToken cancellationToken)
    {
        var temporary = file + ".tmp";
        var json = JsonSerializer.Serialize(new { services = new { svc = new { http = new[] { endpoint.ToString() } } } });
        await File.WriteAllTextAsync(temporary, json, cancellationToken);
        File.Move(temporary, file, overwrite: true);
    }
}
