namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// Decodes OTLP protobuf export requests (<c>ExportTraceServiceRequest</c>, <c>ExportLogsServiceRequest</c>,
/// <c>ExportMetricsServiceRequest</c>) into the test model. Throws <see cref="InvalidDataException"/> on malformed input.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>Decodes the spans of an <c>ExportTraceServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpSpan> DecodeTraces(ReadOnlySpan<byte> request) => OtlpTraceDecoder.Decode(request);

    /// <summary>Decodes the log records of an <c>ExportLogsServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpLogRecord> DecodeLogs(ReadOnlySpan<byte> request) => OtlpLogDecoder.Decode(request);

    /// <summary>Decodes the metrics of an <c>ExportMetricsServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpMetric> DecodeMetrics(ReadOnlySpan<byte> request) =>
        OtlpMetricDecoder.Decode(request);
}
