using System.Text.Json;

namespace Observability.Hosting.Tests;

/// <summary>With <c>AppHost:SampleTraffic=true</c> (as the shared fixture runs it) a resource keeps submitting sample workflows.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class SampleTrafficTests(AppHostFixture fixture)
{
    [Fact]
    public async Task SampleTraffic_Enabled_IsAHealthyResource_AndItsRunsAppearAndCompleteInTheGateway()
    {
        using var cts = TestApps.Timeout(60);
        var app = fixture.App;
        using var gateway = app.CreateHttpClient("gateway");

        var completed = await WaitForCompletedSampleRunAsync(gateway, cts.Token);

        Assert.True(TestApps.Single(app, "sample-traffic").IsHealthy);
        // The resource's own output (captured like any other resource's) names the run it submitted.
        var runId = completed.GetProperty("runId").GetGuid().ToString();
        Assert.Contains(app.GetResourceLogs("sample-traffic"), line => line.Text.Contains($"Submitted run {runId}", StringComparison.Ordinal));
    }

    /// <summary>Polls the sample session's newest runs until one of them has completed; the token is the deadline.</summary>
    private static async Task<JsonElement> WaitForCompletedSampleRunAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await GatewayWorkflows.GetJsonAsync(gateway, "/api/workflows?sessionId=sample-traffic&limit=50", cancellationToken);
            foreach (var run in page.GetProperty("items").EnumerateArray())
            {
                Assert.Equal("sample-traffic", run.GetProperty("sessionId").GetString());
                if (run.GetProperty("status").GetString() == "Completed")
                {
                    return run;
                }
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
