using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>The OTEL_* variables drive what a real host exports to a real OTLP receiver.</summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed partial class OtlpExportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task AddServiceDefaults_EndpointAndProtocol_ExportsSpansLogsAndMetricsWithHeadersAndResource(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var settings = TelemetryTestApp.FastExport(receiver, transport);
        settings["OTEL_EXPORTER_OTLP_HEADERS"] = "x-api-key=key-123,x-tenant=blue";
        settings["OTEL_SERVICE_NAME"] = "orders-api";
        settings["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=instance-9,deployment.environment.name=test%20lab";

        await using (var app = await TelemetryTestApp.StartAsync(settings, MapOrders, ct))
        {
            using var response = await app.Client.GetAsync("/orders/42", ct);
            response.EnsureSuccessStatusCode();

            var span = await receiver.WaitForSpanAsync(s => s.Name == "GET /orders/{id}", Timeout, ct);
            var log = await receiver.WaitForLogRecordAsync(r => r.BodyText == "Order 42 looked up", Timeout, ct);
            var metric = await receiver.WaitForMetricAsync(
                m => m.Name == "http.server.request.duration"
                    && m.DataPoints.Any(p => p.GetString("http.route") == "/orders/{id}"),
                Timeout,
                ct);

            foreach (var resource in new[] { span.Resource, log.Resource, metric.Resource })
            {
                Assert.Equal("orders-api", resource.ServiceName);
                Assert.Equal("instance-9", resource.Attributes["service.instance.id"]);
                Assert.Equal("test lab", resource.Attributes["deployment.environment.name"]);
            }

            Assert.Equal("42", log.GetString("OrderId"));
            Assert.Equal(span.TraceId, log.TraceId);
            Assert.Equal(OtlpMetricKind.Histogram, metric.Kind);
        }

        var requests = receiver.Requests;
        Assert.Contains(requests, r => r.Signal == OtlpSignal.Traces);
        Assert.Contains(requests, r => r.Signal == OtlpSignal.Logs);
        Assert.Contains(requests, r => r.Signal == OtlpSignal.Metrics);
        Assert.All(requests, r =>
        {
            Assert.Equal(transport, r.Transport);
            Assert.Equal("key-123", r.Headers["x-api-key"]);
            Assert.Equal("blue", r.Headers["x-tenant"]);
        });
        Assert.Empty(receiver.Errors);
    }

    [Fact]
    public async Task AddServiceDefaults_NoServiceName_UsesApplicationName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        string applicationName;

        await using (var app = await TelemetryTestApp.StartAsync(
            TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf), MapOrders, ct))
        {
            applicationName = app.App.Environment.ApplicationName;
            using var response = await app.Client.GetAsync("/orders/1", ct);
        }

        var span = Assert.Single(receiver.Spans, s => s.Name == "GET /orders/{id}");
        Assert.Equal(applicationName, span.Resource.ServiceName);
        Assert.False(string.IsNullOrEmpty(span.Resource.Attributes["service.instance.id"] as string));
    }

    [Fact]
    public async Task AddServiceDefaults_SamplerAlwaysOff_ExportsNoSpansButLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var settings = TelemetryTestApp.FastExport(receiver, OtlpTransport.Grpc);
        settings["OTEL_TRACES_SAMPLER"] = "always_off";

        await using (var app = await TelemetryTestApp.StartAsync(settings, MapOrders, ct))
        {
            using var response = await app.Client.GetAsync("/orders/7", ct);
            response.EnsureSuccessStatusCode();
        }

        // Stopping the host flushed everything: the log proves the pipeline ran, and no span was recorded.
        Assert.Contains(receiver.LogRecords, r => r.BodyText == "Order 7 looked up");
        Assert.DoesNotContain(receiver.Spans, s => s.GetString("url.path") == "/orders/7");
    }

    [Fact]
    public async Task AddServiceDefaults_TraceIdRatio_SamplesByTraceIdIgnoringParent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var settings = TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf);
        settings["OTEL_TRACES_SAMPLER"] = "traceidratio";
        settings["OTEL_TRACES_SAMPLER_ARG"] = "0.5";
        // The ratio sampler compares the first 8 bytes of the trace ID with ratio * long.MaxValue.
        const string lowTraceId = "00000000000000010000000000000001";
        const string highTraceId = "7fffffffffffffff0000000000000001";

        await using (var app = await TelemetryTestApp.StartAsync(settings, MapOrders, ct))
        {
            // A client that sends our traceparent as written (the default one would replace it with its own span's).
            using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = app.Client.BaseAddress };
            foreach (var (traceId, path) in new[] { (lowTraceId, "/orders/low"), (highTraceId, "/orders/high") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
                using var response = await client.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
            }
        }

        Assert.Contains(receiver.Spans, s => s.TraceId == lowTraceId && s.GetString("url.path") == "/orders/low");
        Assert.DoesNotContain(receiver.Spans, s => s.TraceId == highTraceId);
    }

    [Fact]
    public async Task Shutdown_LongExportDelays_FlushesEverythingRecordedBeforeStop()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var settings = new Dictionary<string, string?>(receiver.ExporterSettings(OtlpTransport.Grpc))
        {
            // Nothing would be exported for a minute: only the shutdown flush can deliver it.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "60000",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "60000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
        };
        var meterName = typeof(OtlpExportTests).Namespace + ".Flush" + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("tests.flushed");

        await using (var app = await TelemetryTestApp.StartAsync(settings, MapOrders, ct))
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await app.Client.GetAsync($"/orders/flush{i}", ct);
                response.EnsureSuccessStatusCode();
                counter.Add(1);
            }

            Assert.Empty(receiver.Requests);
        }

        // Stopped and disposed as app.Run() ends: the providers' shutdown alone delivered everything.

        var paths = receiver.Spans.Select(s => s.GetString("url.path")).ToHashSet();
        Assert.All(Enumerable.Range(0, 5), i => Assert.Contains($"/orders/flush{i}", paths));
        Assert.All(Enumerable.Range(0, 5), i => Assert.Contains(receiver.LogRecords, r => r.BodyText == $"Order flush{i} looked up"));
        var flushed = Assert.Single(receiver.Metrics, m => m.Name == "tests.flushed");
        Assert.Equal(5L, Assert.Single(flushed.DataPoints).IntValue);
    }

    [Fact]
    public async Task Receiver_OwnRequests_AreNeitherSpansNorMetricsOfTheServiceUnderTest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);

        await using (var app = await TelemetryTestApp.StartAsync(
            TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf), MapOrders, ct))
        {
            using var response = await app.Client.GetAsync("/orders/3", ct);
            await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/orders/3", Timeout, ct);
            // Several metric exports later, every POST /v1/* the receiver served would have been measured.
            await receiver.WaitForMetricAsync(
                m => m.Name == "http.server.request.duration" && m.DataPoints.Any(p => p.GetString("http.route") == "/orders/{id}"),
                Timeout,
                ct);
        }

        Assert.DoesNotContain(receiver.Spans, s => s.GetString("url.path")?.StartsWith("/v1/", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(
            receiver.Metrics.Where(m => m.Name == "http.server.request.duration").SelectMany(m => m.DataPoints),
            p => p.GetString("http.request.method") == "POST");
    }

    /// <summary>
    /// Spans that end in a burst, as the Redis client instrumentation ends ten seconds of commands at once, are all
    /// exported: ten thousand end within milliseconds of each other, more than the SDK's default queue of 2,048 holds
    /// before its exporter thread can take them (with that queue, most of them are dropped).
    /// </summary>
    [Fact]
    public async Task AddServiceDefaults_SpansEndingInABurst_EveryOneExported()
    {
        const int burst = 10_000;
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await TelemetryTestApp.StartAsync(TelemetryTestApp.FastExport(receiver, OtlpTransport.Grpc), web =>
            web.MapPost("/burst", (IHostEnvironment environment) =>
            {
                using var source = new ActivitySource(environment.ApplicationName);
                var request = Activity.Current;
                var spans = new List<Activity>(burst);
                for (var i = 0; i < burst; i++)
                {
                    spans.Add(source.StartActivity("burst.span") ?? throw new InvalidOperationException("The application's ActivitySource is not traced."));
                    Activity.Current = request;
                }

                foreach (var span in spans)
                {
                    span.Stop();
                }

                return TypedResults.NoContent();
            }), ct);

        using var response = await app.Client.PostAsync("/burst", content: null, ct);
        response.EnsureSuccessStatusCode();

        var exported = await receiver.WaitForSpansAsync(s => s.Name == "burst.span", burst, TimeSpan.FromSeconds(60), ct);
        Assert.Equal(burst, exported.Select(s => s.SpanId).Distinct().Count());
        Assert.Empty(receiver.Errors);
    }

    private static void MapOrders(WebApplication app) =>
        app.MapGet("/orders/{id}", (string id, ILogger<OtlpExportTests> logger) =>
        {
            LogOrderLookedUp(logger, id);
            return TypedResults.Ok(id);
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} looked up")]
    private static partial void LogOrderLookedUp(ILogger logger, string orderId);
}
