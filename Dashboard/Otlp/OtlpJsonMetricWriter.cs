using System.Globalization;
using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Writes one stored instrument and its points as an OTLP/JSON <c>Metric</c>.</summary>
internal static class OtlpJsonMetricWriter
{
    public static void WriteMetric(Utf8JsonWriter writer, InstrumentSnapshot instrument)
    {
        writer.WriteStartObject();
        writer.WriteString("name", instrument.Name);
        if (instrument.Description is not null)
        {
            writer.WriteString("description", instrument.Description);
        }

        if (instrument.Unit is not null)
        {
            writer.WriteString("unit", instrument.Unit);
        }

        writer.WriteStartObject(instrument.Kind switch
        {
            MetricKind.Gauge => "gauge",
            MetricKind.Sum => "sum",
            MetricKind.Histogram => "histogram",
            MetricKind.ExponentialHistogram => "exponentialHistogram",
            _ => "summary",
        });
        if (instrument.Kind is MetricKind.Sum or MetricKind.Histogram or MetricKind.ExponentialHistogram)
        {
            writer.WriteNumber("aggregationTemporality", (int)instrument.Temporality);
        }

        if (instrument.Kind == MetricKind.Sum)
        {
            writer.WriteBoolean("isMonotonic", instrument.IsMonotonic);
        }

        writer.WriteStartArray("dataPoints");
        foreach (var (attributes, points) in instrument.Series)
        {
            foreach (var point in points)
            {
                WritePoint(writer, attributes, point);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter writer, TelemetryAttribute[] attributes, MetricPoint point)
    {
        writer.WriteStartObject();
        OtlpJsonWriter.WriteAttributes(writer, "attributes", attributes);
        OtlpJsonWriter.WriteTime(writer, "startTimeUnixNano", point.StartUnixNano);
        OtlpJsonWriter.WriteTime(writer, "timeUnixNano", point.TimeUnixNano);
        switch (point)
        {
            case { Histogram: { } h }:
                writer.WriteString("count", h.Count.ToString(CultureInfo.InvariantCulture));
                WriteOptional(writer, "sum", h.Sum);
                WriteOptional(writer, "min", h.Min);
                WriteOptional(writer, "max", h.Max);
                WriteCounts(writer, "bucketCounts", h.BucketCounts);
                writer.WriteStartArray("explicitBounds");
                foreach (var bound in h.ExplicitBounds)
                {
                    writer.WriteNumberValue(bound);
                }

                writer.WriteEndArray();
                break;
            case { Exponential: { } e }:
                writer.WriteString("count", e.Count.ToString(CultureInfo.InvariantCulture));
                WriteOptional(writer, "sum", e.Sum);
                WriteOptional(writer, "min", e.Min);
                WriteOptional(writer, "max", e.Max);
                writer.WriteNumber("scale", e.Scale);
                writer.WriteString("zeroCount", e.ZeroCount.ToString(CultureInfo.InvariantCulture));
                writer.WriteNumber("zeroThreshold", e.ZeroThreshold);
                WriteBuckets(writer, "positive", e.PositiveOffset, e.PositiveCounts);
                WriteBuckets(writer, "negative", e.NegativeOffset, e.NegativeCounts);
                break;
            case { Summary: { } s }:
                writer.WriteString("count", s.Count.ToString(CultureInfo.InvariantCulture));
                OtlpJsonWriter.WriteDouble(writer, "sum", s.Sum);
                writer.WriteStartArray("quantileValues");
                foreach (var (quantile, value) in s.Quantiles)
                {
                    writer.WriteStartObject();
                    OtlpJsonWriter.WriteDouble(writer, "quantile", quantile);
                    OtlpJsonWriter.WriteDouble(writer, "value", value);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            default:
                OtlpJsonWriter.WriteDouble(writer, "asDouble", point.Value);
                break;
        }

        writer.WriteStartArray("exemplars");
        foreach (var exemplar in point.Exemplars)
        {
            writer.WriteStartObject();
            OtlpJsonWriter.WriteAttributes(writer, "filteredAttributes", exemplar.FilteredAttributes);
            OtlpJsonWriter.WriteTime(writer, "timeUnixNano", exemplar.TimeUnixNano);
            OtlpJsonWriter.WriteDouble(writer, "asDouble", exemplar.Value);
            if (!exemplar.TraceId.IsEmpty)
            {
                writer.WriteString("traceId", exemplar.TraceId.ToString());
            }

            if (SpanIds.ToHex(exemplar.SpanId) is { } spanId)
            {
                writer.WriteString("spanId", spanId);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            OtlpJsonWriter.WriteDouble(writer, name, number);
        }
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, ulong[] counts)
    {
        writer.WriteStartArray(name);
        foreach (var count in counts)
        {
            writer.WriteStringValue(count.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndArray();
    }

    private static void WriteBuckets(Utf8JsonWriter writer, string name, int offset, ulong[] counts)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("offset", offset);
        WriteCounts(writer, "bucketCounts", counts);
        writer.WriteEndObject();
    }
}
