using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Observability.Dashboard.Tests;

/// <summary>Every signal sent by the real OpenTelemetry .NET OTLP exporter, over HTTP/protobuf and gRPC, comes back through the query API.</summary>
[Trait("Category", "Integration")]
public sealed class ExporterRoundTripTests
{
    public static TheoryData<OtlpExportProtocol> Protocols => [OtlpExportProtocol.HttpProtobuf, OtlpExportProtocol.Grpc];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Traces_FromRealExporter_AreStoredAsTreeWithEventsLinksAndStatus(OtlpExportProtocol protocol)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        var sourceName = "Tests.Traces." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        string traceId, rootId, childId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("checkout", serviceInstanceId: "checkout-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(options => Configure(options, server, protocol, "traces"))
            .Build())
        {
            using var linked = source.StartActivity("linked-work")!;
            linked.Stop();
            using (var root = source.StartActivity("GET /orders", ActivityKind.Server)!)
            {
                root.SetTag("http.request.method", "GET");
                root.SetTag("http.response.status_code", 500);
                using (var child = source.StartActivity("SELECT orders", ActivityKind.Client, root.Context, links: [new ActivityLink(linked.Context)])!)
                {
                    child.SetTag("db.system.name", "postgresql");
                    child.AddEvent(new ActivityEvent("rows.read", tags: new ActivityTagsCollection { ["rows"] = 3 }));
                    childId = child.SpanId.ToHexString();
                }

                root.SetStatus(ActivityStatusCode.Error, "boom");
                traceId = root.TraceId.ToHexString();
                rootId = root.SpanId.ToHexString();
            }

            Assert.True(provider.ForceFlush(10_000));
        }

        var trace = await ApiJson.WaitForAsync(api, $"/api/traces/{traceId}", json => json.GetProperty("spanCount").GetInt32() == 2, timeout.Token);
        var spans = trace.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(rootId, spans[0].GetProperty("spanId").GetString());
        Assert.Equal(0, spans[0].GetProperty("depth").GetInt32());
        Assert.Equal("Error", spans[0].GetProperty("status").GetString());
        Assert.Equal("boom", spans[0].GetProperty("statusMessage").GetString());
        Assert.Equal("Server", spans[0].GetProperty("kind").GetString());
        Assert.Equal("500", spans[0].GetProperty("attributes").GetProperty("http.response.status_code").GetString());
        Assert.Equal(childId, spans[0].GetProperty("childSpanIds")[0].GetString());
        Assert.Equal(childId, spans[1].GetProperty("spanId").GetString());
        Assert.Equal(rootId, spans[1].GetProperty("parentSpanId").GetString());
        Assert.Equal(1, spans[1].GetProperty("depth").GetInt32());
        Assert.Equal("checkout", spans[1].GetProperty("service").GetString());
        Assert.Equal("rows.read", spans[1].GetProperty("events")[0].GetProperty("name").GetString());
        Assert.Equal("3", spans[1].GetProperty("events")[0].GetProperty("attributes").GetProperty("rows").GetString());
        Assert.Single(spans[1].GetProperty("links").EnumerateArray());

        var list = await ApiJson.GetAsync(api, "/api/traces?service=checkout&status=error&spanName=orders&attribute=http.request.method%3DGET", timeout.Token);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(traceId, list.GetProperty("items")[0].GetProperty("traceId").GetString());
        Assert.Equal("GET /orders", list.GetProperty("items")[0].GetProperty("rootName").GetString());

        var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
        var resource = Assert.Single(resources.GetProperty("resources").EnumerateArray());
        Assert.Equal("checkout", resource.GetProperty("serviceName").GetString());
        Assert.Equal("checkout-1", resource.GetProperty("instanceId").GetString());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Logs_FromRealExporter_AreStoredWithTraceContextAndAttributes(OtlpExportProtocol protocol)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        using var source = new ActivitySource("Tests.Logs");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Tests.Logs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId;
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("billing"));
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter(exporter => Configure(exporter, server, protocol, "logs"));
        })))
        {
            var logger = loggerFactory.CreateLogger("Billing");
            using var activity = source.StartActivity("charge")!;
            traceId = activity.TraceId.ToHexString();
            TestLog.CardDeclined(logger, "card-42");
            TestLog.Routine(logger);
        }

        var logs = await ApiJson.WaitForAsync(api, "/api/logs?service=billing", json => json.GetProperty("total").GetInt32() == 2, timeout.Token);
        var warnings = await ApiJson.GetAsync(api, $"/api/logs?minSeverity=13&traceId={traceId}&attribute=CardId%3Dcard-42", timeout.Token);
        var warning = Assert.Single(warnings.GetProperty("items").EnumerateArray());
        Assert.Equal("Card card-42 declined", warning.GetProperty("body").GetString());
        Assert.Equal(traceId, warning.GetProperty("traceId").GetString());
        Assert.Equal(13, warning.GetProperty("severityNumber").GetInt32());
        var byText = await ApiJson.GetAsync(api, "/api/logs?text=routine", timeout.Token);
        Assert.Equal(1, byText.GetProperty("total").GetInt32());
        Assert.Equal(2, logs.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Metrics_FromRealExporter_AreSeriesWithAggregations(OtlpExportProtocol protocol)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        var meterName = "Tests.Metrics." + Guid.NewGuid().ToString("N");
        using (var meter = new Meter(meterName))
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("inventory"))
            .AddMeter(meterName)
            .AddView("work.exponential", new Base2ExponentialBucketHistogramConfiguration())
            .SetExemplarFilter(ExemplarFilterType.AlwaysOn)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, server, protocol, "metrics");
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build())
        {
            var counter = meter.CreateCounter<long>("orders.placed", "{order}");
            var histogram = meter.CreateHistogram<double>("work.duration", "ms");
            var exponential = meter.CreateHistogram<double>("work.exponential", "ms");
            meter.CreateObservableGauge("queue.depth", () => 7);
            counter.Add(5, new KeyValuePair<string, object?>("region", "eu"));
            counter.Add(3, new KeyValuePair<string, object?>("region", "us"));
            for (var i = 1; i <= 100; i++)
            {
                histogram.Record(i);
                exponential.Record(i);
            }

            Assert.True(provider.ForceFlush(10_000));
        }

        var resources = await ApiJson.WaitForAsync(api, "/api/resources", json => json.GetProperty("resources").GetArrayLength() == 1, timeout.Token);
        var resourceId = resources.GetProperty("resources")[0].GetProperty("id").GetInt32();
        var instruments = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}", timeout.Token);
        var names = instruments.EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Contains("orders.placed", names);
        Assert.Contains("queue.depth", names);
        Assert.Equal("ExponentialHistogram", instruments.EnumerateArray().Single(i => i.GetProperty("name").GetString() == "work.exponential").GetProperty("kind").GetString());

        var orders = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}/orders.placed?aggregation=last", timeout.Token);
        var bySeries = orders.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("attributes").GetProperty("region").GetString()!, s => s.GetProperty("value").GetDouble());
        Assert.Equal(5, bySeries["eu"]);
        Assert.Equal(3, bySeries["us"]);
        Assert.True(orders.GetProperty("series")[0].GetProperty("exemplarCount").GetInt32() > 0);

        var gauge = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}/queue.depth", timeout.Token);
        Assert.Equal(7, gauge.GetProperty("series")[0].GetProperty("value").GetDouble());

        var p50 = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}/work.duration?aggregation=p50", timeout.Token);
        Assert.InRange(p50.GetProperty("series")[0].GetProperty("value").GetDouble(), 40, 60);
        var expP90 = await ApiJson.GetAsync(api, $"/api/metrics/{resourceId}/work.exponential?aggregation=p90", timeout.Token);
        Assert.InRange(expP90.GetProperty("series")[0].GetProperty("value").GetDouble(), 80, 100);
    }

    private static void Configure(OtlpExporterOptions options, DashboardServer server, OtlpExportProtocol protocol, string signal)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? server.GrpcAddress : new Uri(server.BaseAddress, "/v1/" + signal);
        options.Headers = "x-otlp-api-key=" + DashboardServer.PrimaryKey;
        options.ExportProcessorType = ExportProcessorType.Simple;
        options.TimeoutMilliseconds = 10_000;
    }
}
