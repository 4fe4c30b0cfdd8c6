using System.Net;
using System.Text.Json;

namespace Observability.Dashboard.Tests;

/// <summary>OTLP/JSON payloads written from the specification are stored faithfully, and rejected items are reported.</summary>
[Trait("Category", "Integration")]
public sealed class JsonIngestTests
{
    private const string Window = "from=2023-11-14T22:13:00Z&to=2023-11-14T22:14:20Z";

    [Fact]
    public async Task PostTraces_SpecJson_StoresTreeAndReportsRejectedSpan()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var otlp = server.CreateOtlpClient();
        using var api = await server.CreateApiClientAsync(timeout.Token);

        using var response = await ApiJson.PostJsonAsync(otlp, "/v1/traces", OtlpJsonPayloads.Traces, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement;
        Assert.Equal("1", body.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("partialSuccess").GetProperty("errorMessage").GetString()));

        var trace = await ApiJson.GetAsync(api, $"/api/traces/{OtlpJsonPayloads.TraceId}", timeout.Token);
        Assert.Equal(2000, trace.GetProperty("durationMs").GetDouble());
        var root = trace.GetProperty("spans")[0];
        var attributes = root.GetProperty("attributes");
        Assert.Equal("POST", attributes.GetProperty("http.request.method").GetString());
        Assert.Equal("3", attributes.GetProperty("retries").GetString());
        Assert.Equal("0.5", attributes.GetProperty("ratio").GetString());
        Assert.Equal("true", attributes.GetProperty("cached").GetString());
        Assert.Equal("[\"a\",2]", attributes.GetProperty("tags").GetString());
        Assert.Equal("{\"k\":\"v\"}", attributes.GetProperty("map").GetString());
        Assert.Equal("AQID", attributes.GetProperty("raw").GetString());
        Assert.Equal("json.scope@1.0.0", root.GetProperty("scope").GetString());
        var child = trace.GetProperty("spans")[1];
        Assert.Equal(OtlpJsonPayloads.RootSpanId, child.GetProperty("parentSpanId").GetString());
        Assert.Equal("Client", child.GetProperty("kind").GetString());
        Assert.Equal("2", child.GetProperty("events")[0].GetProperty("attributes").GetProperty("attempt").GetString());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", child.GetProperty("links")[0].GetProperty("traceId").GetString());

        var slow = await ApiJson.GetAsync(api, $"/api/traces?minDurationMs=1500&{Window}", timeout.Token);
        Assert.Equal(1, slow.GetProperty("total").GetInt32());
        var none = await ApiJson.GetAsync(api, "/api/traces?minDurationMs=2500", timeout.Token);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PostTraces_SameExportRetried_StoresSpansOnceAndCountsDuplicates()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var otlp = server.CreateOtlpClient();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await ApiJson.PostJsonAsync(otlp, "/v1/traces", OtlpJsonPayloads.Traces, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var trace = await ApiJson.GetAsync(api, $"/api/traces/{OtlpJsonPayloads.TraceId}", timeout.Token);
        Assert.Equal(2, trace.GetProperty("spanCount").GetInt32());
        var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
        Assert.Equal(2, resources.GetProperty("drops").GetProperty("duplicateSpans").GetInt64());
        Assert.Equal(2, resources.GetProperty("drops").GetProperty("rejectedItems").GetInt64());
    }

    [Fact]
    public async Task PostLogs_SpecJson_StoresRecordsLinkedToTrace()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var otlp = server.CreateOtlpClient();
        using var api = await server.CreateApiClientAsync(timeout.Token);

        using var response = await ApiJson.PostJsonAsync(otlp, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(timeout.Token));

        var errors = await ApiJson.GetAsync(api, $"/api/logs?minSeverity=17&traceId={OtlpJsonPayloads.TraceId}", timeout.Token);
        var error = Assert.Single(errors.GetProperty("items").EnumerateArray());
        Assert.Equal("Payment provider timed out", error.GetProperty("body").GetString());
        Assert.Equal(OtlpJsonPayloads.ChildSpanId, error.GetProperty("spanId").GetString());
        Assert.Equal("acme", error.GetProperty("attributes").GetProperty("provider").GetString());
        var all = await ApiJson.GetAsync(api, "/api/logs?service=json-service", timeout.Token);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PostMetrics_SpecJson_AggregatesSumsAndHistogramPercentiles()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var otlp = server.CreateOtlpClient();
        using var api = await server.CreateApiClientAsync(timeout.Token);

        using var response = await ApiJson.PostJsonAsync(otlp, "/v1/metrics", OtlpJsonPayloads.Metrics, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement;
        Assert.Equal("1", body.GetProperty("partialSuccess").GetProperty("rejectedDataPoints").GetString());

        var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
        var id = resources.GetProperty("resources")[0].GetProperty("id").GetInt32();
        Assert.Equal(30, await ValueAsync(api, id, "requests", "sum", timeout.Token));
        Assert.Equal(0.375, await ValueAsync(api, id, "requests", "rate", timeout.Token));
        Assert.Equal(21.5, await ValueAsync(api, id, "temperature", "last", timeout.Token));
        Assert.Equal(50, await ValueAsync(api, id, "latency", "p50", timeout.Token));
        Assert.Equal(8, await ValueAsync(api, id, "size", "p50", timeout.Token));
        var latency = await ApiJson.GetAsync(api, $"/api/metrics/{id}/latency?{Window}", timeout.Token);
        Assert.Equal(1, latency.GetProperty("series")[0].GetProperty("exemplarCount").GetInt32());
    }

    private static async Task<double> ValueAsync(HttpClient api, int resourceId, string name, string aggregation, CancellationToken cancellationToken)
    {
        var json = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}/{name}?aggregation={aggregation}&{Window}", cancellationToken);
        return json.GetProperty("series")[0].GetProperty("value").GetDouble();
    }
}
