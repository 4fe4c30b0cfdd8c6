using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Writes stored telemetry as OTLP/JSON export requests, which <c>/v1/*</c> and the import API accept back.</summary>
internal static class OtlpJsonExporter
{
    public static void WriteTraces(Utf8JsonWriter writer, List<SpanRecord> spans)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("resourceSpans");
        foreach (var byResource in spans.GroupBy(s => s.Resource))
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteResource(writer, byResource.Key);
            writer.WriteStartArray("scopeSpans");
            foreach (var byScope in byResource.GroupBy(s => s.Scope))
            {
                writer.WriteStartObject();
                OtlpJsonWriter.WriteScope(writer, byScope.Key);
                writer.WriteStartArray("spans");
                foreach (var span in byScope)
                {
                    WriteSpan(writer, span);
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

    public static void WriteLogs(Utf8JsonWriter writer, List<LogRecordEntry> logs)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("resourceLogs");
        foreach (var byResource in logs.GroupBy(l => l.Resource))
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteResource(writer, byResource.Key);
            writer.WriteStartArray("scopeLogs");
            foreach (var byScope in byResource.GroupBy(l => l.Scope))
            {
                writer.WriteStartObject();
                OtlpJsonWriter.WriteScope(writer, byScope.Key);
                writer.WriteStartArray("logRecords");
                foreach (var log in byScope)
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

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteMetrics(Utf8JsonWriter writer, IEnumerable<(TelemetryResource Resource, List<InstrumentSnapshot> Instruments)> resources)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("resourceMetrics");
        foreach (var (resource, instruments) in resources)
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteResource(writer, resource);
            writer.WriteStartArray("scopeMetrics");
            foreach (var byScope in instruments.GroupBy(i => i.Scope))
            {
                writer.WriteStartObject();
                OtlpJsonWriter.WriteScope(writer, byScope.Key);
                writer.WriteStartArray("metrics");
                foreach (var instrument in byScope)
                {
                    OtlpJsonMetricWriter.WriteMetric(writer, instrument);
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
