using System.Net;
using System.Text.Json;

namespace Observability.Dashboard.Tests;

/// <summary>Stored telemetry exports as OTLP/JSON and imports back unchanged.</summary>
[Trait("Category", "Integration")]
public sealed class ExportImportTests
{
    [Fact]
    public async Task ExportThenImport_AfterClearAll_RestoresEverySignal()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var otlp = server.CreateOtlpClient();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        foreach (var (path, json) in new[] { ("/v1/traces", OtlpJsonPayloads.Traces), ("/v1/logs", OtlpJsonPayloads.Logs), ("/v1/metrics", OtlpJsonPayloads.Metrics) })
        {
            using var response = await ApiJson.PostJsonAsync(otlp, path, json, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var traceBefore = await ApiJson.GetAsync(api, $"/api/traces/{OtlpJsonPayloads.TraceId}", timeout.Token);
        var logsBefore = await ApiJson.GetAsync(api, "/api/logs", timeout.Token);
        var exports = new Dictionary<string, string>();
        foreach (var signal in new[] { "traces", "logs", "metrics" })
        {
            exports[signal] = await api.GetStringAsync($"/api/export/{signal}", timeout.Token);
        }

        using (var cleared = await api.DeleteAsync("/api/resources", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        }

        Assert.Equal(0, (await ApiJson.GetAsync(api, "/api/logs", timeout.Token)).GetProperty("total").GetInt32());
        foreach (var (signal, json) in exports)
        {
            using var response = await ApiJson.PostJsonAsync(api, $"/api/import/{signal}", json, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement;
            Assert.Equal(0, result.GetProperty("rejected").GetInt64());
        }

        var traceAfter = await ApiJson.GetAsync(api, $"/api/traces/{OtlpJsonPayloads.TraceId}", timeout.Token);
        Assert.Equal(traceBefore.GetProperty("spans").ToString(), traceAfter.GetProperty("spans").ToString());
        var logsAfter = await ApiJson.GetAsync(api, "/api/logs", timeout.Token);
        Assert.Equal(Strip(logsBefore), Strip(logsAfter));
        var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
        var id = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("metricSeries").GetInt32() > 0).GetProperty("id").GetInt32();
        var latency = await ApiJson.GetAsync(api, $"/api/metrics/{id}/latency?aggregation=p50&from=2023-11-14T22:13:00Z&to=2023-11-14T22:14:20Z", timeout.Token);
        Assert.Equal(50, latency.GetProperty("series")[0].GetProperty("value").GetDouble());
    }

    /// <summary>The log list without store-assigned fields (sequence numbers and resource ids change on import).</summary>
    private static string Strip(JsonElement logs) => string.Join('\n', logs.GetProperty("items").EnumerateArray().Select(item =>
        string.Join(';', item.EnumerateObject().Where(p => p.Name is not ("sequence" or "resourceId")).Select(p => $"{p.Name}={p.Value}"))));
}
