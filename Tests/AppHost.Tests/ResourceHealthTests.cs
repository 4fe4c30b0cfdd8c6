namespace Observability.AppHost.Tests;

/// <summary>Every resource of the model starts and turns healthy, with the local servers under the names the card gives.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class ResourceHealthTests(AppHostFixture fixture)
{
    [Fact]
    public async Task AppHost_StartedWithLocalBinaries_EveryResourceIsHealthy_AndTheServicesGotTheirConnectionStrings()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var app = fixture.App;
        foreach (var name in AppHostFixture.Resources)
        {
            var resourceEvent = await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
            Assert.Equal("Running", resourceEvent.Snapshot.State?.Text);
        }

        Assert.StartsWith("localhost:", await app.GetConnectionStringAsync("cache", cts.Token), StringComparison.Ordinal);
        Assert.Contains("Database=workflows", await app.GetConnectionStringAsync("workflows", cts.Token), StringComparison.Ordinal);
        // The gateway's resource links: its endpoint, the API reference, and the sample session's runs and performance,
        // each a page that answers.
        var gatewayUrls = (await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cts.Token)).Snapshot.Urls
            .Where(url => url.Url.StartsWith("http://", StringComparison.Ordinal)).ToList();
        var links = new Dictionary<string, string>
        {
            ["API reference (OpenAPI)"] = "/openapi/v1.json",
            ["Runs of session 'dashboard'"] = "/api/workflows?sessionId=dashboard",
            ["Performance of session 'dashboard'"] = "/api/observability/performance/dashboard",
        };
        using var linkClient = new HttpClient();
        foreach (var (text, path) in links)
        {
            var link = Assert.Single(gatewayUrls, url => url.DisplayProperties.DisplayName == text);
            Assert.EndsWith(path, link.Url, StringComparison.Ordinal);
            using var page = await linkClient.GetAsync(new Uri(link.Url), cts.Token);
            Assert.True(page.IsSuccessStatusCode, $"{text} ({link.Url}) answered {(int)page.StatusCode}");
        }

        Assert.Contains(gatewayUrls, url => !links.ContainsKey(url.DisplayProperties.DisplayName));
        using var gateway = app.CreateHttpClient("gateway");
        using var response = await gateway.GetAsync("/health", cts.Token);
        Assert.True(response.IsSuccessStatusCode, $"gateway /health answered {(int)response.StatusCode}");
    }
}
