using Microsoft.Extensions.Configuration;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The standard OpenTelemetry environment variables, read through <see cref="IConfiguration"/> so that environment
/// variables, appsettings.json and command-line arguments all work. Raw strings as configured; see
/// <see cref="TelemetrySettings"/> for the parsed, validated values. Invalid values stop the host at start with a
/// message naming the variable.
/// </summary>
internal sealed class TelemetryOptions
{
    /// <summary>
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: base URL of the OTLP receiver. Default: unset, and then nothing is exported.
    /// </summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? Endpoint { get; set; }

    /// <summary>
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: <c>grpc</c> or <c>http/protobuf</c>. Default: <c>grpc</c> (as Aspire).
    /// For <c>http/protobuf</c> the signal path (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) is appended.
    /// </summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_PROTOCOL")]
    public string? Protocol { get; set; }

    /// <summary><c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>key1=value1,key2=value2</c> sent with every export. Default: none.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_HEADERS")]
    public string? Headers { get; set; }

    /// <summary><c>OTEL_SERVICE_NAME</c>: the <c>service.name</c> resource attribute. Default: the application name.</summary>
    [ConfigurationKeyName("OTEL_SERVICE_NAME")]
    public string? ServiceName { get; set; }

    /// <summary>
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c>: <c>key1=value1,key2=value2</c> (values percent-encoded) added to the resource,
    /// such as <c>service.instance.id</c>. Default: none; <c>service.instance.id</c> is then a new GUID per process.
    /// </summary>
    [ConfigurationKeyName("OTEL_RESOURCE_ATTRIBUTES")]
    public string? ResourceAttributes { get; set; }

    /// <summary><c>OTEL_BSP_SCHEDULE_DELAY</c>: milliseconds between span exports. Default: 5000 (the SDK default).</summary>
    [ConfigurationKeyName("OTEL_BSP_SCHEDULE_DELAY")]
    public string? SpanScheduleDelay { get; set; }

    /// <summary><c>OTEL_BLRP_SCHEDULE_DELAY</c>: milliseconds between log exports. Default: 1000 (the SDK default).</summary>
    [ConfigurationKeyName("OTEL_BLRP_SCHEDULE_DELAY")]
    public string? LogScheduleDelay { get; set; }

    /// <summary><c>OTEL_METRIC_EXPORT_INTERVAL</c>: milliseconds between metric exports. Default: 60000 (the SDK default).</summary>
    [ConfigurationKeyName("OTEL_METRIC_EXPORT_INTERVAL")]
    public string? MetricExportInterval { get; set; }

    /// <summary>
    /// <c>OTEL_TRACES_SAMPLER</c>: <c>always_on</c>, <c>always_off</c>, <c>traceidratio</c>, <c>parentbased_always_on</c>,
    /// <c>parentbased_always_off</c> or <c>parentbased_traceidratio</c>. Default: <c>parentbased_always_on</c>.
    /// </summary>
    [ConfigurationKeyName("OTEL_TRACES_SAMPLER")]
    public string? Sampler { get; set; }

    /// <summary><c>OTEL_TRACES_SAMPLER_ARG</c>: the ratio (0 to 1) of the ratio samplers. Default: 1.0.</summary>
    [ConfigurationKeyName("OTEL_TRACES_SAMPLER_ARG")]
    public string? SamplerArgument { get; set; }
}
