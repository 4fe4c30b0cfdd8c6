using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>Maps a generated <c>opentelemetry.proto.metrics.v1.Metric</c> onto <see cref="OtlpMetric"/>.</summary>
internal static class OtlpMetricMapping
{
    public static OtlpMetric ToMetric(Metric metric, OtlpResource resource, OtlpScope scope)
    {
        var (kind, monotonic, temporality, points) = metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => (OtlpMetricKind.Gauge, false, 0, metric.Gauge.DataPoints.Select(ToPoint).ToList()),
            Metric.DataOneofCase.Sum => (OtlpMetricKind.Sum, metric.Sum.IsMonotonic, (int)metric.Sum.AggregationTemporality, metric.Sum.DataPoints.Select(ToPoint).ToList()),
            Metric.DataOneofCase.Histogram => (OtlpMetricKind.Histogram, false, (int)metric.Histogram.AggregationTemporality, metric.Histogram.DataPoints.Select(ToPoint).ToList()),
            Metric.DataOneofCase.ExponentialHistogram => (OtlpMetricKind.ExponentialHistogram, false, (int)metric.ExponentialHistogram.AggregationTemporality, metric.ExponentialHistogram.DataPoints.Select(ToPoint).ToList()),
            Metric.DataOneofCase.Summary => (OtlpMetricKind.Summary, false, 0, metric.Summary.DataPoints.Select(ToPoint).ToList()),
            _ => (OtlpMetricKind.Unknown, false, 0, new List<OtlpDataPoint>()),
        };
        return new OtlpMetric
        {
            Resource = resource,
            Scope = scope,
            Name = metric.Name,
            Description = metric.Description,
            Unit = metric.Unit,
            Kind = kind,
            IsMonotonic = monotonic,
            AggregationTemporality = temporality,
            DataPoints = points,
        };
    }

    private static OtlpDataPoint ToPoint(NumberDataPoint point) => new()
    {
        Attributes = Attributes(point.Attributes),
        StartTimeUnixNano = point.StartTimeUnixNano,
        TimeUnixNano = point.TimeUnixNano,
        DoubleValue = point.ValueCase == NumberDataPoint.ValueOneofCase.AsDouble ? point.AsDouble : null,
        IntValue = point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : null,
    };

    private static OtlpDataPoint ToPoint(HistogramDataPoint point) => new()
    {
        Attributes = Attributes(point.Attributes),
        StartTimeUnixNano = point.StartTimeUnixNano,
        TimeUnixNano = point.TimeUnixNano,
        Count = point.Count,
        Sum = point.HasSum ? point.Sum : null,
        BucketCounts = [.. point.BucketCounts],
        ExplicitBounds = [.. point.ExplicitBounds],
    };

    private static OtlpDataPoint ToPoint(ExponentialHistogramDataPoint point) => new()
    {
        Attributes = Attributes(point.Attributes),
        StartTimeUnixNano = point.StartTimeUnixNano,
        TimeUnixNano = point.TimeUnixNano,
        Count = point.Count,
        Sum = point.HasSum ? point.Sum : null,
    };

    private static OtlpDataPoint ToPoint(SummaryDataPoint point) => new()
    {
        Attributes = Attributes(point.Attributes),
        StartTimeUnixNano = point.StartTimeUnixNano,
        TimeUnixNano = point.TimeUnixNano,
        Count = point.Count,
        Sum = point.Sum,
    };

    private static Dictionary<string, object?> Attributes(IEnumerable<KeyValue> attributes) => OtlpDecoder.ToDictionary(attributes);
}
