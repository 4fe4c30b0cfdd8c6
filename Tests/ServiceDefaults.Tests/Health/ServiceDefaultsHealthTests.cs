using System.Net;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Tests.Health;

/// <summary>End to end through <c>AddServiceDefaults</c> and <c>MapDefaultEndpoints</c>.</summary>
[Trait("Category", "Integration")]
public sealed class ServiceDefaultsHealthTests
{
    [Theory]
    [InlineData("/alive")]
    [InlineData("/ready")]
    [InlineData("/health")]
    [InlineData("/status")]
    public async Task MapDefaultEndpoints_FreshService_ProbesAnswerOk(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await TestWebHost.StartAsync(builder => builder.AddServiceDefaults(), app => app.MapDefaultEndpoints(), ct);

        using var response = await host.Client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
