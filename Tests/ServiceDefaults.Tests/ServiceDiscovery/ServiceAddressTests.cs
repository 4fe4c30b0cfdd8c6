using Observability.ServiceDefaults.ServiceDiscovery;

namespace Observability.ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceAddressTests
{
    [Theory]
    [InlineData("http://gateway/orders", "gateway", null, "http")]
    [InlineData("https://gateway", "gateway", null, "https")]
    [InlineData("https+http://gateway", "gateway", null, "https,http")]
    [InlineData("http+https://gateway", "gateway", null, "http,https")]
    [InlineData("http://_dashboard.gateway", "gateway", "dashboard", "http")]
    [InlineData("http://api.example.com", "api.example.com", null, "http")]
    public void TryParse_LogicalAddress_SplitsServiceEndpointAndSchemes(string uri, string service, string? endpoint, string schemes)
    {
        Assert.True(ServiceAddress.TryParse(new Uri(uri), out var address));

        Assert.Equal(service, address.ServiceName);
        Assert.Equal(endpoint, address.EndpointName);
        Assert.Equal(schemes.Split(','), address.Schemes);
    }

    [Theory]
    [InlineData("ws://gateway")]
    [InlineData("ftp://gateway")]
    public void TryParse_OtherScheme_IsNotAServiceAddress(string uri) =>
        Assert.False(ServiceAddress.TryParse(new Uri(uri), out _));
}
