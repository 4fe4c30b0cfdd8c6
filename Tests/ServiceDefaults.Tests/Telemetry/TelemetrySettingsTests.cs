using Observability.ServiceDefaults.Telemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Tests.Telemetry;

public sealed class TelemetrySettingsTests
{
    [Fact]
    public void Parse_NothingSet_UsesDocumentedDefaults()
    {
        var errors = new List<string>();

        var settings = TelemetrySettings.Parse(new TelemetryOptions(), "my-app", errors);

        Assert.Empty(errors);
        Assert.Null(settings.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, settings.Protocol);
        Assert.Equal("my-app", settings.ServiceName);
        Assert.Matches("^[0-9a-f-]{36}$", settings.ServiceInstanceId);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.SpanScheduleDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.LogScheduleDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.MetricExportInterval);
        Assert.Equal("parentbased_always_on", settings.SamplerName);
        Assert.IsType<ParentBasedSampler>(settings.CreateSampler());
    }

    [Fact]
    public void Parse_EveryVariableSet_ParsesEach()
    {
        var errors = new List<string>();
        var options = new TelemetryOptions
        {
            Endpoint = "http://collector:4318",
            Protocol = "HTTP/PROTOBUF",
            Headers = "a=1,b=2",
            ServiceName = "orders",
            ResourceAttributes = "service.name=ignored,service.instance.id=i-1,team=pay%2Cments",
            SpanScheduleDelay = "100",
            LogScheduleDelay = "200",
            MetricExportInterval = "300",
            Sampler = "traceidratio",
            SamplerArgument = "0.25",
        };

        var settings = TelemetrySettings.Parse(options, "my-app", errors);

        Assert.Empty(errors);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, settings.Protocol);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), settings.EndpointFor("v1/traces"));
        Assert.Equal("a=1,b=2", settings.Headers);
        Assert.Equal("orders", settings.ServiceName);
        Assert.Equal("i-1", settings.ServiceInstanceId);
        Assert.Equal([new KeyValuePair<string, object>("team", "pay,ments")], settings.ResourceAttributes);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.SpanScheduleDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.LogScheduleDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.MetricExportInterval);
        Assert.Equal(0.25, settings.SamplerRatio);
        Assert.IsType<TraceIdRatioBasedSampler>(settings.CreateSampler());
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/logs")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/logs")]
    [InlineData("http://gateway/otlp", "http://gateway/otlp/v1/logs")]
    public void EndpointFor_HttpProtobuf_AppendsSignalPath(string endpoint, string expected)
    {
        var settings = TelemetrySettings.Parse(
            new TelemetryOptions { Endpoint = endpoint, Protocol = "http/protobuf" }, "app", new List<string>());

        Assert.Equal(new Uri(expected), settings.EndpointFor("v1/logs"));
    }

    [Fact]
    public void EndpointFor_Grpc_KeepsBaseEndpoint()
    {
        var settings = TelemetrySettings.Parse(new TelemetryOptions { Endpoint = "http://collector:4317" }, "app", new List<string>());

        Assert.Equal(new Uri("http://collector:4317"), settings.EndpointFor("v1/traces"));
    }

    [Fact]
    public void Parse_ResourceServiceNameWithoutOtelServiceName_UsesResourceServiceName()
    {
        var settings = TelemetrySettings.Parse(
            new TelemetryOptions { ResourceAttributes = "service.name=from-resource" }, "app", new List<string>());

        Assert.Equal("from-resource", settings.ServiceName);
    }

    [Theory]
    [InlineData("always_on", typeof(AlwaysOnSampler))]
    [InlineData("always_off", typeof(AlwaysOffSampler))]
    [InlineData("traceidratio", typeof(TraceIdRatioBasedSampler))]
    [InlineData("parentbased_always_on", typeof(ParentBasedSampler))]
    [InlineData("parentbased_always_off", typeof(ParentBasedSampler))]
    [InlineData("parentbased_traceidratio", typeof(ParentBasedSampler))]
    public void CreateSampler_EachName_CreatesMatchingSampler(string name, Type expected)
    {
        var errors = new List<string>();

        var settings = TelemetrySettings.Parse(new TelemetryOptions { Sampler = name }, "app", errors);

        Assert.Empty(errors);
        Assert.IsType(expected, settings.CreateSampler());
    }

    [Fact]
    public void Parse_SeveralInvalidValues_ReportsEachVariable()
    {
        var errors = new List<string>();
        var options = new TelemetryOptions { Protocol = "udp", SamplerArgument = "-1", MetricExportInterval = "1.5" };

        TelemetrySettings.Parse(options, "app", errors);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("OTEL_EXPORTER_OTLP_PROTOCOL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("OTEL_TRACES_SAMPLER_ARG", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("OTEL_METRIC_EXPORT_INTERVAL", StringComparison.Ordinal));
    }
}
