using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Writes stored telemetry as OTLP/JSON export requests, which <c>/v1/*</c> and the import API accept back.</summary>
internal static class OtlpJsonExporter
{
    public static void WriteTraces(Utf8JsonWriter writer, List<SpanRecord> spans) =>
        WriteRequest(writer, "resourceSpans", "scopeSpans", "spans",
            spans.GroupBy(s => s.Resource).Select(g => (g.Key, (IEnumerable<SpanRecord>)g)), s => s.Scope, WriteSpan);

    public static void WriteLogs(Utf8JsonWriter writer, List<LogRecordEntry> logs) =>
        WriteRequest(writer, "resourceLogs", "scopeLogs", "logRecords",
            logs.GroupBy(l => l.Resource).Select(g => (g.Key, (IEnumerable<LogRecordEntry>)g)), l => l.Scope, WriteLog);

    public static void WriteMetrics(Utf8JsonWriter writer, IEnumerable<(TelemetryResource Resource, List<InstrumentSnapshot> Instruments)> resources) =>
        WriteRequest(writer, "resourceMetrics", "scopeMetrics", "metrics",
            resources.Select(r => (r.Resource, (IEnumerable<InstrumentSnapshot>)r.Instruments)), i => i.Scope, OtlpJsonMetricWriter.WriteMetric);

    /// <summary>
    /// The envelope the three export requests share: resource groups, each with its resource and scope groups, each
    /// with its scope and items. Only the property names and the items differ.
    /// </summary>
    private static void WriteRequest<T>(
        Utf8JsonWriter writer,
        string resourcesProperty,
        string scopesProperty,
        string itemsProperty,
        IEnumerable<(TelemetryResource Resource, IEnumerable<T> Items)> resources,
        Func<T, InstrumentationScope> scopeOf,
        Action<Utf8JsonWriter, T> writeItem)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(resourcesProperty);
        foreach (var (resource, items) in resources)
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteResource(writer, resource);
            writer.WriteStartArray(scopesProperty);
            foreach (var byScope in items.GroupBy(scopeOf))
            {
                writer.WriteStartObject();
                OtlpJsonWriter.WriteScope(writer, byScope.Key);
                writer.WriteStartArray(itemsProperty);
                foreach (var item in byScope)
                {
                    writeItem(writer, item);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteLog(Utf8JsonWriter writer, LogRecordEntry log)
    {
        writer.WriteStartObject();
        OtlpJsonWriter.WriteTime(writer, "timeUnixNano", log.TimeUnixNano);
        OtlpJsonWriter.WriteTime(writer, "observedTimeUnixNano", log.ObservedTimeUnixNano);
        writer.WriteNumber("severityNumber", log.SeverityNumber);
        if (log.SeverityText is not null)
        {
            writer.WriteString("severityText", log.SeverityText);
        }

        if (log.EventName is not null)
        {
            writer.WriteString("eventName", log.EventName);
        }

        writer.WritePropertyName("body");
        OtlpJsonWriter.WriteAnyValue(writer, log.Body);
        OtlpJsonWriter.WriteAttributes(writer, "attributes", log.Attributes);
        if (!log.TraceId.IsEmpty)
        {
            writer.WriteString("traceId", log.TraceId.ToString());
        }

        if (SpanIds.ToHex(log.SpanId) is { } spanId)
        {
            writer.WriteString("spanId", spanId);
        }

        writer.WriteNumber("flags", log.Flags);
        writer.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter writer, SpanRecord span)
    {
        writer.WriteStartObject();
        writer.WriteString("traceId", span.TraceId.ToString());
        writer.WriteString("spanId", SpanIds.ToHex(span.SpanId));
        if (SpanIds.ToHex(span.ParentSpanId) is { } parent)
        {
            writer.WriteString("parentSpanId", parent);
        }

        if (span.TraceState is not null)
        {
            writer.WriteString("traceState", span.TraceState);
        }

        writer.WriteString("name", span.Name);
        writer.WriteNumber("kind", (int)span.Kind);
        OtlpJsonWriter.WriteTime(writer, "startTimeUnixNano", span.StartUnixNano);
        OtlpJsonWriter.WriteTime(writer, "endTimeUnixNano", span.EndUnixNano);
        OtlpJsonWriter.WriteAttributes(writer, "attributes", span.Attributes);
        writer.WriteNumber("droppedAttributesCount", span.DroppedCount);
        writer.WriteStartArray("events");
        foreach (var spanEvent in span.Events)
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteTime(writer, "timeUnixNano", spanEvent.TimeUnixNano);
            writer.WriteString("name", spanEvent.Name);
            OtlpJsonWriter.WriteAttributes(writer, "attributes", spanEvent.Attributes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var link in span.Links)
        {
            writer.WriteStartObject();
            writer.WriteString("traceId", link.TraceId.ToString());
            writer.WriteString("spanId", SpanIds.ToHex(link.SpanId));
            if (link.TraceState is not null)
            {
                writer.WriteString("traceState", link.TraceState);
            }

            OtlpJsonWriter.WriteAttributes(writer, "attributes", link.Attributes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("status");
        writer.WriteNumber("code", (int)span.Status);
        if (span.StatusMessage is not null)
        {
            writer.WriteString("message", span.StatusMessage);
        }

        writer.WriteEndObject();
        writer.WriteNumber("flags", span.Flags);
        writer.WriteEndObject();
    }
}
