using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Observability.ServiceDefaults.ServiceDiscovery;

namespace Observability.ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceEndpointResolverTests
{
    [Fact]
    public void Resolve_TwoEndpoints_TakesThemInTurn()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000", ["services:svc:http:1"] = "http://10.0.0.2:5000" });

        var picks = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(Parse("http://svc"))!.Authority).ToList();

        Assert.Equal(["10.0.0.1:5000", "10.0.0.2:5000", "10.0.0.1:5000", "10.0.0.2:5000"], picks);
    }

    [Fact]
    public void Resolve_HttpsPlusHttpWithBoth_PrefersHttps()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000", ["services:svc:https:0"] = "https://10.0.0.1:5001" });

        Assert.Equal(new Uri("https://10.0.0.1:5001"), resolver.Resolve(Parse("https+http://svc")));
        Assert.Equal(new Uri("http://10.0.0.1:5000"), resolver.Resolve(Parse("http+https://svc")));
    }

    [Fact]
    public void Resolve_HttpsPlusHttpWithHttpOnly_FallsBackToHttp()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000" });

        Assert.Equal(new Uri("http://10.0.0.1:5000"), resolver.Resolve(Parse("https+http://svc")));
    }

    [Fact]
    public void Resolve_HttpsOnlyWithHttpConfigured_FailsNamingTheHttpsKey()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000" });

        var exception = Assert.Throws<ServiceEndpointNotFoundException>(() => resolver.Resolve(Parse("https://svc")));

        Assert.Contains("services:svc:https:0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NamedEndpoint_ReadsTheEndpointSection()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000", ["services:svc:dashboard:0"] = "http://10.0.0.1:18888" });

        Assert.Equal(new Uri("http://10.0.0.1:18888"), resolver.Resolve(Parse("http://_dashboard.svc")));
    }

    [Fact]
    public void Resolve_ValueWithoutScheme_TakesTheSectionScheme()
    {
        using var resolver = Create(new() { ["services:svc:https"] = "10.0.0.1:5001" });

        Assert.Equal(new Uri("https://10.0.0.1:5001"), resolver.Resolve(Parse("https://svc")));
    }

    [Fact]
    public void Resolve_UnconfiguredSingleLabelName_FailsNamingTheMissingKey()
    {
        using var resolver = Create([]);

        var exception = Assert.Throws<ServiceEndpointNotFoundException>(() => resolver.Resolve(Parse("https+http://catalog")));

        Assert.Contains("'services:catalog'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("services__catalog__https__0", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.example.com")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    public void Resolve_UnconfiguredNetworkHost_PassesThrough(string uri)
    {
        using var resolver = Create([]);

        Assert.Null(resolver.Resolve(Parse(uri)));
    }

    [Fact]
    public void Resolve_ConfigurationReloaded_UsesTheNewEndpointsAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("services:svc:http:0", "http://10.0.0.1:5000")]).Build();
        using var resolver = new ServiceEndpointResolver(configuration, NullLogger<ServiceEndpointResolver>.Instance);
        Assert.Equal(new Uri("http://10.0.0.1:5000"), resolver.Resolve(Parse("http://svc")));

        configuration["services:svc:http:0"] = "http://10.0.0.9:6000";
        configuration["services:other:http:0"] = "http://10.0.0.7:7000";
        configuration.Reload();

        Assert.Equal(new Uri("http://10.0.0.9:6000"), resolver.Resolve(Parse("http://svc")));
        Assert.Equal(new Uri("http://10.0.0.7:7000"), resolver.Resolve(Parse("http://other")));
    }

    [Fact]
    public void Resolve_ServiceAddedAfterAFailedLookupAndReloaded_Resolves()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        using var resolver = new ServiceEndpointResolver(configuration, NullLogger<ServiceEndpointResolver>.Instance);
        Assert.Throws<ServiceEndpointNotFoundException>(() => resolver.Resolve(Parse("http://late")));

        configuration["services:late:http:0"] = "http://10.0.0.3:5000";
        configuration.Reload();

        Assert.Equal(new Uri("http://10.0.0.3:5000"), resolver.Resolve(Parse("http://late")));
    }

    [Fact]
    public void Resolve_SameAddressTwice_KeepsRoundRobinAcrossCalls()
    {
        using var resolver = Create(new() { ["services:svc:http:0"] = "http://10.0.0.1:5000", ["services:svc:http:1"] = "http://10.0.0.2:5000" });

        var first = resolver.Resolve(Parse("http://svc/a"));
        var second = resolver.Resolve(Parse("http://SVC/b"));

        Assert.NotEqual(first, second);
    }

    private static ServiceEndpointResolver Create(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<ServiceEndpointResolver>.Instance);

    private static ServiceAddress Parse(string uri)
    {
        Assert.True(ServiceAddress.TryParse(new Uri(uri), out var address));
        return address;
    }
}
