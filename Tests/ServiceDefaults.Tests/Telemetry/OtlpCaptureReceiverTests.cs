using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Observability.TestInfrastructure.Otlp;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>The capture receiver decodes what the real OpenTelemetry .NET OTLP exporter sends, over both transports.</summary>
[Trait("Category", "Integration")]
public sealed partial class OtlpCaptureReceiverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_Spans_DecodesEveryField(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var sourceName = "Observability.Tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName, "1.2.3");
        string traceId, parentId, childId;

        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("decoder-test", serviceInstanceId: "instance-7"))
            .AddSource(sourceName)
            .AddOtlpExporter(options => Configure(options, receiver, transport, "traces"))
            .Build())
        {
            using var parent = source.StartActivity("parent", ActivityKind.Server)!;
            using (var child = source.StartActivity("child", ActivityKind.Client)!)
            {
                child.SetTag("text", "value");
                child.SetTag("flag", true);
                child.SetTag("count", 42L);
                child.SetTag("ratio", 0.5d);
                child.SetTag("list", new[] { "a", "b" });
                child.AddEvent(new ActivityEvent("something", tags: new ActivityTagsCollection { ["event.key"] = "event-value" }));
                child.SetStatus(ActivityStatusCode.Error, "it broke");
                childId = child.SpanId.ToHexString();
            }

            traceId = parent.TraceId.ToHexString();
            parentId = parent.SpanId.ToHexString();
        }

        var span = await receiver.WaitForSpanAsync(s => s.Name == "child", Timeout, ct);
        var server = await receiver.WaitForSpanAsync(s => s.Name == "parent", Timeout, ct);

        Assert.Equal(traceId, span.TraceId);
        Assert.Equal(childId, span.SpanId);
        Assert.Equal(parentId, span.ParentSpanId);
        Assert.Equal(string.Empty, server.ParentSpanId);
        Assert.Equal(OtlpSpanKind.Client, span.Kind);
        Assert.Equal(OtlpSpanKind.Server, server.Kind);
        Assert.Equal(sourceName, span.Scope.Name);
        Assert.Equal("1.2.3", span.Scope.Version);
        Assert.Equal("value", span.Attributes["text"]);
        Assert.Equal(true, span.Attributes["flag"]);
        Assert.Equal(42L, span.Attributes["count"]);
        Assert.Equal(0.5d, span.Attributes["ratio"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsAssignableFrom<IEnumerable<object?>>(span.Attributes["list"]));
        var spanEvent = Assert.Single(span.Events);
        Assert.Equal("something", spanEvent.Name);
        Assert.Equal("event-value", spanEvent.Attributes["event.key"]);
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
        Assert.Equal("it broke", span.StatusMessage);
        Assert.True(span.EndTimeUnixNano >= span.StartTimeUnixNano && span.StartTimeUnixNano > 0);
        Assert.Equal("decoder-test", span.Resource.ServiceName);
        Assert.Equal("instance-7", span.Resource.Attributes["service.instance.id"]);

        var request = Assert.Single(receiver.Requests, r => r.Signal == OtlpSignal.Traces);
        Assert.Equal(transport, request.Transport);
        Assert.Equal("secret-header-value", request.Headers["x-test-header"]);
        Assert.True(request.ContainsText("it broke"));
        Assert.False(request.ContainsText("never-exported"));
        Assert.Empty(receiver.Errors);
    }

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_LogRecords_DecodesSeverityBodyAttributesAndTraceContext(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        using var activity = new Activity("log-parent").SetIdFormat(ActivityIdFormat.W3C).Start();

        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter(exporter => Configure(exporter, receiver, transport, "logs"));
        })))
        {
            LogOrder(factory.CreateLogger("Decoder.Category"), "o-17", 12.5);
        }

        var record = await receiver.WaitForLogRecordAsync(r => r.Scope.Name == "Decoder.Category", Timeout, ct);

        Assert.Equal(13, record.SeverityNumber);
        Assert.Equal("Warning", record.SeverityText);
        Assert.Equal("Order o-17 took 12.5 ms", record.BodyText);
        Assert.Equal("o-17", record.GetString("OrderId"));
        Assert.Equal(12.5d, record.Attributes["Elapsed"]);
        Assert.Equal(activity.TraceId.ToHexString(), record.TraceId);
        Assert.Equal(activity.SpanId.ToHexString(), record.SpanId);
        Assert.True(record.TimeUnixNano > 0);
    }

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_Metrics_DecodesSumsAndHistograms(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var meterName = "Observability.Tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("test.requests", "{request}", "Requests handled");
        var histogram = meter.CreateHistogram<double>("test.duration", "s");

        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddOtlpExporter(options => Configure(options, receiver, transport, "metrics"))
            .Build())
        {
            counter.Add(3, new KeyValuePair<string, object?>("route", "/a"));
            counter.Add(4, new KeyValuePair<string, object?>("route", "/a"));
            histogram.Record(0.25);
            histogram.Record(0.75);
        }

        var sum = await receiver.WaitForMetricAsync(m => m.Name == "test.requests", Timeout, ct);
        var hist = await receiver.WaitForMetricAsync(m => m.Name == "test.duration", Timeout, ct);

        Assert.Equal(OtlpMetricKind.Sum, sum.Kind);
        Assert.True(sum.IsMonotonic);
        Assert.Equal("{request}", sum.Unit);
        Assert.Equal("Requests handled", sum.Description);
        Assert.Equal(meterName, sum.Scope.Name);
        var point = Assert.Single(sum.DataPoints);
        Assert.Equal(7L, point.IntValue);
        Assert.Equal("/a", point.GetString("route"));

        Assert.Equal(OtlpMetricKind.Histogram, hist.Kind);
        Assert.Equal("s", hist.Unit);
        var histPoint = Assert.Single(hist.DataPoints);
        Assert.Equal(2UL, histPoint.Count);
        Assert.Equal(1.0d, histPoint.Sum);
        Assert.Equal(histPoint.ExplicitBounds.Count + 1, histPoint.BucketCounts.Count);
        Assert.Equal(2UL, histPoint.BucketCounts.Aggregate(0UL, (total, bucket) => total + bucket));
    }

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_GzipCompressed_DecodesAndSearchesThePayload(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var sourceName = "Observability.Tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);

        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                Configure(options, receiver, transport, "traces");
                options.Compression = OtlpExportCompression.GZip;
            })
            .Build())
        {
            using var activity = source.StartActivity("compressed")!;
            activity.SetTag("payload", "findable-text");
        }

        var span = await receiver.WaitForSpanAsync(s => s.Name == "compressed", Timeout, ct);
        Assert.Equal("findable-text", span.GetString("payload"));
        var request = Assert.Single(receiver.Requests);
        Assert.True(request.Payload.Length > 0);
        Assert.True(request.ContainsText("findable-text"));
        Assert.Equal(-1, request.RawBody.Span.IndexOf("findable-text"u8));
    }

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_CountMode_CountsSpansPerTraceAndNameAndKeepsNothing(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(OtlpCaptureMode.Count, ct);
        var sourceName = "Observability.Tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        string runTrace, otherTrace;

        // Disposing the providers exports what they hold and waits for the receiver's answer, which comes after counting.
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .AddOtlpExporter(options => Configure(options, receiver, transport, "traces"))
            .Build())
        using (var logging = LoggerFactory.Create(builder => builder.AddOpenTelemetry(options =>
            options.AddOtlpExporter(exporter => Configure(exporter, receiver, transport, "logs")))))
        {
            using (var run = source.StartActivity("run")!)
            {
                runTrace = run.TraceId.ToHexString();
                for (var i = 0; i < 3; i++)
                {
                    using var step = source.StartActivity("step");
                }

                LogOrder(logging.CreateLogger("Counts"), "o-1", 1);
            }

            using var other = source.StartActivity("other", ActivityKind.Internal, default(ActivityContext))!;
            otherTrace = other.TraceId.ToHexString();
        }

        var counts = receiver.Counts;
        var runCounts = counts.Trace(runTrace);
        Assert.NotNull(runCounts);
        Assert.Equal([("run", 1), ("step", 3)], runCounts.SpansByName.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
        Assert.Equal(4, runCounts.Spans);
        Assert.Equal(1, runCounts.LogRecords);
        Assert.Equal([("other", 1)], counts.Trace(otherTrace)!.SpansByName.Select(p => (p.Key, p.Value)));
        Assert.Null(counts.Trace(ActivityTraceId.CreateRandom().ToHexString()));
        Assert.Equal(5, counts.Spans);
        Assert.Equal(1, counts.LogRecords);
        Assert.Equal(2, counts.Traces);
        Assert.True(counts.Requests(OtlpSignal.Traces) >= 1);
        Assert.True(counts.Requests(OtlpSignal.Logs) >= 1);
        Assert.Empty(receiver.Requests);
        Assert.Empty(receiver.Spans);
        Assert.Empty(receiver.LogRecords);
        Assert.Empty(receiver.Errors);
    }

    [Theory]
    [InlineData(OtlpTransport.Grpc)]
    [InlineData(OtlpTransport.HttpProtobuf)]
    public async Task Export_CountMode_KeepsTheLatestValueOfEachCumulativeSum(OtlpTransport transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(OtlpCaptureMode.Count, ct);
        var meterName = "Observability.Tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("test.requests", "{request}", "Requests handled");
        var histogram = meter.CreateHistogram<double>("test.duration", "s", "Request duration");
        double? afterFirstExport;

        // Disposing the provider exports a last time and waits for the receiver's answer, which comes after counting.
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddOtlpExporter(options => Configure(options, receiver, transport, "metrics"))
            .Build())
        {
            counter.Add(3, new KeyValuePair<string, object?>("route", "/a"));
            counter.Add(4, new KeyValuePair<string, object?>("route", "/b"));
            histogram.Record(0.25);
            Assert.True(provider.ForceFlush());
            afterFirstExport = receiver.Counts.LatestSum("test.requests");
            counter.Add(5, new KeyValuePair<string, object?>("route", "/a"));
        }

        Assert.Equal(7d, afterFirstExport);
        Assert.Equal(12d, receiver.Counts.LatestSum("test.requests"));
        Assert.Null(receiver.Counts.LatestSum("test.duration"));
        Assert.Null(receiver.Counts.LatestSum("test.missing"));
        Assert.Equal(2, receiver.Counts.Requests(OtlpSignal.Metrics));
        Assert.Equal(4, receiver.Counts.Metrics);
        Assert.Empty(receiver.Errors);
    }

    [Fact]
    public async Task WaitForSpanAsync_NothingArrives_TimesOutNamingWhatWasReceived()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => receiver.WaitForSpanAsync(_ => true, TimeSpan.FromMilliseconds(50), ct));

        Assert.Contains("Received 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeTraces_TruncatedMessage_ThrowsInvalidData()
    {
        // Field 1 (resource_spans), length-delimited, claims 16 bytes but carries 2.
        byte[] truncated = [0x0A, 0x10, 0x01, 0x02];

        Assert.Throws<InvalidDataException>(() => OtlpDecoder.DecodeTraces(truncated));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} took {Elapsed} ms")]
    private static partial void LogOrder(ILogger logger, string orderId, double elapsed);

    private static void Configure(OtlpExporterOptions options, OtlpCaptureReceiver receiver, OtlpTransport transport, string signal)
    {
        options.Protocol = transport == OtlpTransport.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = transport == OtlpTransport.Grpc
            ? receiver.GrpcEndpoint
            : new Uri(receiver.HttpEndpoint, "/v1/" + signal);
        options.Headers = "x-test-header=secret-header-value";
    }
}
