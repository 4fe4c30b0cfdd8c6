using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes an OTLP/JSON <c>ExportMetricsServiceRequest</c> into <see cref="MetricData"/>.</summary>
internal static class JsonMetricDecoder
{
    private const int MaxBuckets = 4_096;

    private static readonly (string Field, MetricKind Kind)[] s_kinds =
    [
        ("gauge", MetricKind.Gauge),
        ("sum", MetricKind.Sum),
        ("histogram", MetricKind.Histogram),
        ("exponentialHistogram", MetricKind.ExponentialHistogram),
        ("summary", MetricKind.Summary),
    ];

    public static List<ResourceGroup<MetricData>> Decode(JsonElement root, OtlpDecodeContext context)
    {
        var groups = new List<ResourceGroup<MetricData>>();
        foreach (var resourceMetrics in JsonFields.Array(root, "resourceMetrics"))
        {
            var resource = JsonCommonDecoder.ReadResource(resourceMetrics, context);
            var metrics = new List<MetricData>();
            foreach (var scopeMetrics in JsonFields.Array(resourceMetrics, "scopeMetrics"))
            {
                var scope = JsonCommonDecoder.ReadScope(scopeMetrics, context);
                foreach (var item in JsonFields.Array(scopeMetrics, "metrics"))
                {
                    if (ReadMetric(item, context) is { } metric)
                    {
                        metric.Scope = scope;
                        metrics.Add(metric);
                    }
                }
            }

            groups.Add(new ResourceGroup<MetricData>(resource, metrics));
        }

        return groups;
    }

    private static MetricData? ReadMetric(JsonElement item, OtlpDecodeContext context)
    {
        var metric = new MetricData
        {
            Name = context.Strings.Get(JsonFields.String(item, "name") ?? string.Empty),
            Description = JsonFields.String(item, "description"),
            Unit = JsonFields.String(item, "unit"),
        };

        foreach (var (field, kind) in s_kinds)
        {
            if (!JsonFields.TryGet(item, field, out var data))
            {
                continue;
            }

            metric.Kind = kind;
            metric.Temporality = (AggregationTemporality)Math.Clamp(JsonFields.Int64(data, "aggregationTemporality"), 0, 2);
            metric.IsMonotonic = kind == MetricKind.Sum && JsonFields.Bool(data, "isMonotonic");
            foreach (var pointItem in JsonFields.Array(data, "dataPoints"))
            {
                metric.Points.Add(ReadPoint(pointItem, kind, context));
            }

            return metric.Name.Length > 0 ? metric : Reject(metric, context);
        }

        return Reject(metric, context);
    }

    private static MetricData? Reject(MetricData metric, OtlpDecodeContext context)
    {
        context.Reject("Metrics need a name and one of gauge, sum, histogram, exponentialHistogram or summary.", Math.Max(1, metric.Points.Count));
        return null;
    }

    private static MetricPoint ReadPoint(JsonElement item, MetricKind kind, OtlpDecodeContext context)
    {
        var point = new MetricPoint
        {
            Attributes = JsonCommonDecoder.ReadAttributes(item, "attributes", context),
            StartUnixNano = JsonFields.Time(item, "startTimeUnixNano"),
            TimeUnixNano = JsonFields.Time(item, "timeUnixNano"),
        };

        switch (kind)
        {
            case MetricKind.Gauge or MetricKind.Sum:
                point.Value = JsonFields.TryGet(item, "asInt", out var asInt)
                    ? JsonFields.ToInt64(asInt, "asInt")
                    : JsonFields.Double(item, "asDouble") ?? 0;
                break;
            case MetricKind.Histogram:
                var bounds = Doubles(item, "explicitBounds");
                var counts = UInt64s(item, "bucketCounts");
                if (counts.Length != 0 && counts.Length != bounds.Length + 1)
                {
                    throw new OtlpDecodeException("Histogram bucketCounts must have one more entry than explicitBounds.");
                }

                point.Histogram = new HistogramValues(JsonFields.UInt64(item, "count"), JsonFields.Double(item, "sum"),
                    JsonFields.Double(item, "min"), JsonFields.Double(item, "max"), bounds, counts);
                break;
            case MetricKind.ExponentialHistogram:
                var scale = JsonFields.Int64(item, "scale");
                if (scale is < -10 or > 20)
                {
                    throw new OtlpDecodeException("Exponential histogram scale must be between -10 and 20.");
                }

                var positive = Buckets(item, "positive");
                var negative = Buckets(item, "negative");
                point.Exponential = new ExponentialHistogramValues(JsonFields.UInt64(item, "count"), JsonFields.Double(item, "sum"),
                    JsonFields.Double(item, "min"), JsonFields.Double(item, "max"), (int)scale, JsonFields.UInt64(item, "zeroCount"),
                    JsonFields.Double(item, "zeroThreshold") ?? 0, positive.Offset, positive.Counts, negative.Offset, negative.Counts);
                break;
            default:
                var quantiles = JsonFields.Array(item, "quantileValues")
                    .Select(q => (JsonFields.Double(q, "quantile") ?? 0, JsonFields.Double(q, "value") ?? 0))
                    .Take(MaxBuckets + 1)
                    .ToArray();
                point.Summary = new SummaryValues(JsonFields.UInt64(item, "count"), JsonFields.Double(item, "sum") ?? 0, CheckBuckets(quantiles));
                break;
        }

        var exemplars = new List<Exemplar>();
        foreach (var exemplarItem in JsonFields.Array(item, "exemplars"))
        {
            JsonCommonDecoder.TryReadTraceId(exemplarItem, "traceId", out var traceId);
            JsonCommonDecoder.TryReadSpanId(exemplarItem, "spanId", out var spanId);
            var value = JsonFields.TryGet(exemplarItem, "asInt", out var exemplarInt)
                ? JsonFields.ToInt64(exemplarInt, "asInt")
                : JsonFields.Double(exemplarItem, "asDouble") ?? 0;
            var exemplar = new Exemplar(JsonFields.Time(exemplarItem, "timeUnixNano"), value, traceId, spanId,
                JsonCommonDecoder.ReadAttributes(exemplarItem, "filteredAttributes", context));
            if (exemplars.Count < context.Limits.MaxSpanEvents)
            {
                exemplars.Add(exemplar);
            }
            else
            {
                context.Truncated++;
            }
        }

        if (exemplars.Count > 0)
        {
            point.Exemplars = [.. exemplars];
        }

        return point;
    }

    private static (int Offset, ulong[] Counts) Buckets(JsonElement parent, string name)
    {
        if (!JsonFields.TryGet(parent, name, out var buckets))
        {
            return (0, []);
        }

        return ((int)Math.Clamp(JsonFields.Int64(buckets, "offset"), int.MinValue, int.MaxValue), UInt64s(buckets, "bucketCounts"));
    }

    private static double[] Doubles(JsonElement parent, string name) =>
        CheckBuckets(JsonFields.Array(parent, name).Take(MaxBuckets + 1).Select(v => JsonFields.ToDouble(v, name)).ToArray());

    private static ulong[] UInt64s(JsonElement parent, string name) =>
        CheckBuckets(JsonFields.Array(parent, name).Take(MaxBuckets + 1).Select(v => (ulong)JsonFields.ToInt64(v, name)).ToArray());

    private static T[] CheckBuckets<T>(T[] values) =>
        values.Length <= MaxBuckets ? values : throw new OtlpDecodeException($"Data points may have at most {MaxBuckets} buckets.");
}
