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
        using var gateway = app.CreateHttpClient("gateway");
        using var response = await gateway.GetAsync("/health", cts.Token);
        Assert.True(response.IsSuccessStatusCode, $"gateway /health answered {(int)response.StatusCode}");
    }
}
