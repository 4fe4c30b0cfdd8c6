using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Observability.Hosting.Dashboard;

namespace Observability.Hosting.Tests;

/// <summary>The app host runs the dashboard, and the services' telemetry arrives in it over OTLP/gRPC with the API key.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class DashboardTelemetryTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Dashboard_AppHostStarted_IsRunningAndItsLoginLinkOpensTheQueryApi()
    {
        using var cts = TestApps.Timeout(30);

        var replica = TestApps.Single(fixture.App, "dashboard");
        var resources = await GetJsonAsync("/api/resources", cts.Token);

        Assert.True(replica.IsHealthy);
        Assert.False(resources.GetProperty("unsecured").GetBoolean());
        using var anonymous = new HttpClient { BaseAddress = fixture.App.GetEndpoint("dashboard", "http") };
        using var refused = await anonymous.GetAsync("/api/resources", cts.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Gateway_RequestWithCorrelationId_ServerSpanArrivesInDashboard()
    {
        using var cts = TestApps.Timeout(30);
        var correlationId = "dashboard-test-" + Guid.NewGuid().ToString("N");
        using var gateway = fixture.App.CreateHttpClient("gateway");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/does-not-exist");
        request.Headers.Add("X-Correlation-ID", correlationId);
        using var response = await gateway.SendAsync(request, cts.Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var list = await WaitForJsonAsync(
            $"/api/traces?service=gateway&attribute={Uri.EscapeDataString("correlation.id=" + correlationId)}",
            json => json.GetProperty("total").GetInt32() > 0,
            cts.Token);
        var traceId = list.GetProperty("items")[0].GetProperty("traceId").GetString();
        var trace = await GetJsonAsync($"/api/traces/{traceId}", cts.Token);

        var server = trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "Server");
        Assert.Equal("gateway", server.GetProperty("service").GetString());
        Assert.Equal(correlationId, server.GetProperty("attributes").GetProperty("correlation.id").GetString());
        Assert.Equal("404", server.GetProperty("attributes").GetProperty("http.response.status_code").GetString());
    }

    [Fact]
    public async Task Services_Running_LogsAndMetricsArriveInDashboard()
    {
        using var cts = TestApps.Timeout(30);
        using var gateway = fixture.App.CreateHttpClient("gateway");
        using (await gateway.GetAsync("/does-not-exist", cts.Token))
        {
        }

        var logs = await WaitForJsonAsync("/api/logs?service=gateway", json => json.GetProperty("total").GetInt32() > 0, cts.Token);
        Assert.Equal("gateway", logs.GetProperty("items")[0].GetProperty("service").GetString());

        var resources = await GetJsonAsync("/api/resources", cts.Token);
        var gatewayResource = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("serviceName").GetString() == "gateway");
        var id = gatewayResource.GetProperty("id").GetInt32();
        var instruments = await WaitForJsonAsync(
            $"/api/metrics/{id}",
            json => Names(json).Contains("http.server.request.duration"),
            cts.Token);
        Assert.Contains("http.server.request.duration", Names(instruments));
        Assert.StartsWith("gateway-", gatewayResource.GetProperty("instanceId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtlpTraces_WithoutTheApiKey_Returns401_WithItReturns200()
    {
        using var cts = TestApps.Timeout(30);
        using var client = new HttpClient { BaseAddress = fixture.App.GetEndpoint("dashboard", "http") };

        using var withoutKey = await client.PostAsync("/v1/traces", EmptyExport(), cts.Token);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = EmptyExport() };
        withKey.Headers.Add(DashboardResource.ApiKeyHeader, fixture.Dashboard.OtlpApiKey.Value);
        using var accepted = await client.SendAsync(withKey, cts.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    /// <summary>An empty <c>ExportTraceServiceRequest</c> (no resource spans): zero bytes of protobuf.</summary>
    private static ByteArrayContent EmptyExport()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static HashSet<string?> Names(JsonElement instruments) =>
        [.. instruments.EnumerateArray().Select(i => i.GetProperty("name").GetString())];

    private async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await fixture.Api.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Polls the query API until <paramref name="condition"/> holds; the test's token is the deadline.</summary>
    private async Task<JsonElement> WaitForJsonAsync(string path, Func<JsonElement, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var json = await GetJsonAsync(path, cancellationToken);
            if (condition(json))
            {
                return json;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
