using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Observability.Gateway.Apis;
using Observability.Gateway.Configuration;

namespace Observability.Gateway.Tests;

public sealed class WorkflowLinksTests
{
    [Theory]
    [InlineData("https://hub.example:7001", "wss://hub.example:7001/ws")]
    [InlineData("https://hub.example/base/", "wss://hub.example/base/ws")]
    [InlineData("http://localhost:5100/?x=1", "ws://localhost:5100/ws")]
    public void Events_DiscoveredHub_IsItsWebSocketAddressWithoutQuery(string discovered, string expected)
    {
        var links = Links(new() { [WorkflowLinks.EventsDiscoveryKey] = discovered }, new GatewayOptions { EventsBaseUrl = new Uri("http://ignored:1") });

        Assert.Equal(expected, links.Events());
    }

    [Fact]
    public void Events_OnlyConfiguredBaseUrl_UsesIt()
    {
        var links = Links([], new GatewayOptions { EventsBaseUrl = new Uri("https://events.example") });

        Assert.Equal("wss://events.example/ws", links.Events());
    }

    [Fact]
    public void Events_NoHubAddress_IsNull()
        => Assert.Null(Links([], new GatewayOptions()).Events());

    private static WorkflowLinks Links(Dictionary<string, string?> settings, GatewayOptions options)
        => new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), Options.Create(options));
}
