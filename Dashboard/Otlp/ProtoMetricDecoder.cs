using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes <c>ExportMetricsServiceRequest</c> (opentelemetry/proto/collector/metrics/v1) into <see cref="MetricData"/>.</summary>
internal static class ProtoMetricDecoder
{
    public static List<ResourceGroup<MetricData>> Decode(ReadOnlySpan<byte> data, OtlpDecodeContext context) =>
        ProtoEnvelopeDecoder.Decode(data, context, ReadMetric);

    private static MetricData? ReadMetric(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var metric = new MetricData();
        var hasData = false;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    metric.Name = context.Strings.Get(reader.ReadBytes());
                    break;
                case (2, WireType.LengthDelimited):
                    metric.Description = context.Strings.Get(reader.ReadBytes());
                    break;
                case (3, WireType.LengthDelimited):
                    metric.Unit = context.Strings.Get(reader.ReadBytes());
                    break;
                case (5, WireType.LengthDelimited):
                    hasData = true;
                    metric.Kind = MetricKind.Gauge;
                    ReadData(reader.ReadBytes(), context, metric);
                    break;
                case (7, WireType.LengthDelimited):
                    hasData = true;
                    metric.Kind = MetricKind.Sum;
                    ReadData(reader.ReadBytes(), context, metric);
                    break;
                case (9, WireType.LengthDelimited):
                    hasData = true;
                    metric.Kind = MetricKind.Histogram;
                    ReadData(reader.ReadBytes(), context, metric);
                    break;
                case (10, WireType.LengthDelimited):
                    hasData = true;
                    metric.Kind = MetricKind.ExponentialHistogram;
                    ReadData(reader.ReadBytes(), context, metric);
                    break;
                case (11, WireType.LengthDelimited):
                    hasData = true;
                    metric.Kind = MetricKind.Summary;
                    ReadData(reader.ReadBytes(), context, metric);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!hasData || metric.Name.Length == 0)
        {
            context.Reject("Metrics need a name and one of gauge, sum, histogram, exponential_histogram or summary.", Math.Max(1, metric.Points.Count));
            return null;
        }

        return metric;
    }

    private static void ReadData(ReadOnlySpan<byte> data, OtlpDecodeContext context, MetricData metric)
    {
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    var bytes = reader.ReadBytes();
                    metric.Points.Add(metric.Kind switch
                    {
                        MetricKind.Gauge or MetricKind.Sum => ProtoMetricPointDecoder.ReadNumberPoint(bytes, context),
                        MetricKind.Histogram => ProtoMetricPointDecoder.ReadHistogramPoint(bytes, context),
                        MetricKind.ExponentialHistogram => ProtoMetricPointDecoder.ReadExponentialPoint(bytes, context),
                        _ => ProtoMetricPointDecoder.ReadSummaryPoint(bytes, context),
                    });
                    break;
                case (2, WireType.Varint) when metric.Kind is not (MetricKind.Gauge or MetricKind.Summary):
                    metric.Temporality = (AggregationTemporality)Math.Min(reader.ReadVarint(), 2);
                    break;
                case (3, WireType.Varint) when metric.Kind == MetricKind.Sum:
                    metric.IsMonotonic = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }
}
