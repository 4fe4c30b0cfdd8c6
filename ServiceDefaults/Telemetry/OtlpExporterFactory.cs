using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>Creates the OTLP export processors and reader from <see cref="TelemetrySettings"/>.</summary>
internal static class OtlpExporterFactory
{
    private const int MaxQueueSize = 2048;
    private const int MaxExportBatchSize = 512;
    private const int ExportTimeoutMilliseconds = 30000;

    public static BatchActivityExportProcessor CreateSpanProcessor(TelemetrySettings settings) =>
        new(
            new OtlpTraceExporter(CreateOptions(settings, "v1/traces")),
            MaxQueueSize,
            ToMilliseconds(settings.SpanScheduleDelay),
            ExportTimeoutMilliseconds,
            MaxExportBatchSize);

    public static BatchLogRecordExportProcessor CreateLogProcessor(TelemetrySettings settings) =>
        new(
            new OtlpLogExporter(CreateOptions(settings, "v1/logs")),
            MaxQueueSize,
            ToMilliseconds(settings.LogScheduleDelay),
            ExportTimeoutMilliseconds,
            MaxExportBatchSize);

    public static PeriodicExportingMetricReader CreateMetricReader(TelemetrySettings settings) =>
        new(
            new OtlpMetricExporter(CreateOptions(settings, "v1/metrics")),
            ToMilliseconds(settings.MetricExportInterval),
            ExportTimeoutMilliseconds);

    private static OtlpExporterOptions CreateOptions(TelemetrySettings settings, string signalPath)
    {
        // Every value is set explicitly, so what the host's configuration says wins over the process environment.
        return new OtlpExporterOptions
        {
            Protocol = settings.Protocol,
            Endpoint = settings.EndpointFor(signalPath),
            Headers = settings.Headers,
        };
    }

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Min(int.MaxValue, value.TotalMilliseconds);
}
