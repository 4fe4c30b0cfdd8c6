using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using ProtoLogRecord = OpenTelemetry.Proto.Logs.V1.LogRecord;
using ProtoSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// Decodes OTLP protobuf export requests (<c>ExportTraceServiceRequest</c>, <c>ExportLogsServiceRequest</c>,
/// <c>ExportMetricsServiceRequest</c>) into the test model, through the C# that Grpc.Tools generates from the
/// OpenTelemetry protos in <c>Protos/</c>. Throws <see cref="InvalidDataException"/> on malformed input.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>Decodes the spans of an <c>ExportTraceServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpSpan> DecodeTraces(ReadOnlySpan<byte> request) =>
        [.. from resourceSpans in Parse(ExportTraceServiceRequest.Parser, request).ResourceSpans
            let resource = ToResource(resourceSpans.Resource?.Attributes)
            from scopeSpans in resourceSpans.ScopeSpans
            let scope = ToScope(scopeSpans.Scope)
            from span in scopeSpans.Spans
            select ToSpan(span, resource, scope)];

    /// <summary>Decodes the log records of an <c>ExportLogsServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpLogRecord> DecodeLogs(ReadOnlySpan<byte> request) =>
        [.. from resourceLogs in Parse(ExportLogsServiceRequest.Parser, request).ResourceLogs
            let resource = ToResource(resourceLogs.Resource?.Attributes)
            from scopeLogs in resourceLogs.ScopeLogs
            let scope = ToScope(scopeLogs.Scope)
            from record in scopeLogs.LogRecords
            select ToLogRecord(record, resource, scope)];

    /// <summary>Decodes the metrics of an <c>ExportMetricsServiceRequest</c>.</summary>
    public static IReadOnlyList<OtlpMetric> DecodeMetrics(ReadOnlySpan<byte> request) =>
        [.. from resourceMetrics in Parse(ExportMetricsServiceRequest.Parser, request).ResourceMetrics
            let resource = ToResource(resourceMetrics.Resource?.Attributes)
            from scopeMetrics in resourceMetrics.ScopeMetrics
            let scope = ToScope(scopeMetrics.Scope)
            from metric in scopeMetrics.Metrics
            select OtlpMetricMapping.ToMetric(metric, resource, scope)];

    /// <summary>Parses an export request into the generated message; <see cref="InvalidDataException"/> when malformed.</summary>
    internal static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> request)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(request);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new InvalidDataException($"Malformed OTLP protobuf: {exception.Message}", exception);
        }
    }

    private static OtlpSpan ToSpan(ProtoSpan span, OtlpResource resource, OtlpScope scope) => new()
    {
        Resource = resource,
        Scope = scope,
        TraceId = Hex(span.TraceId),
        SpanId = Hex(span.SpanId),
        ParentSpanId = Hex(span.ParentSpanId),
        TraceState = span.TraceState,
        Name = span.Name,
        Kind = (OtlpSpanKind)span.Kind,
        StartTimeUnixNano = span.StartTimeUnixNano,
        EndTimeUnixNano = span.EndTimeUnixNano,
        Attributes = ToDictionary(span.Attributes),
        Events = [.. span.Events.Select(e => new OtlpSpanEvent { Name = e.Name, TimeUnixNano = e.TimeUnixNano, Attributes = ToDictionary(e.Attributes) })],
        Links = [.. span.Links.Select(l => new OtlpSpanLink { TraceId = Hex(l.TraceId), SpanId = Hex(l.SpanId), Attributes = ToDictionary(l.Attributes) })],
        StatusCode = (OtlpStatusCode)(span.Status?.Code ?? 0),
        StatusMessage = span.Status?.Message ?? string.Empty,
    };

    private static OtlpLogRecord ToLogRecord(ProtoLogRecord record, OtlpResource resource, OtlpScope scope) => new()
    {
        Resource = resource,
        Scope = scope,
        TimeUnixNano = record.TimeUnixNano,
        SeverityNumber = (int)record.SeverityNumber,
        SeverityText = record.SeverityText,
        Body = record.Body is null ? null : ToValue(record.Body),
        Attributes = ToDictionary(record.Attributes),
        TraceId = Hex(record.TraceId),
        SpanId = Hex(record.SpanId),
        EventName = record.EventName,
    };

    private static OtlpResource ToResource(IEnumerable<KeyValue>? attributes) => new() { Attributes = ToDictionary(attributes ?? []) };

    private static OtlpScope ToScope(InstrumentationScope? scope) =>
        scope is null ? OtlpScope.Empty : new OtlpScope { Name = scope.Name, Version = scope.Version };

    /// <summary>Key/value pairs as a dictionary (a repeated key keeps its last value).</summary>
    internal static Dictionary<string, object?> ToDictionary(IEnumerable<KeyValue> attributes)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            values[attribute.Key] = attribute.Value is null ? null : ToValue(attribute.Value);
        }

        return values;
    }

    /// <summary>
    /// An <c>AnyValue</c>: string, bool, long, double, a list of values, a dictionary for a key/value list, byte[];
    /// null when empty.
    /// </summary>
    private static object? ToValue(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(ToValue).ToList(),
        AnyValue.ValueOneofCase.KvlistValue => ToDictionary(value.KvlistValue.Values),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };

    /// <summary>A trace or span ID as lowercase hex, empty when absent.</summary>
    internal static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
