using static Observability.TestInfrastructure.Otlp.OtlpCommonDecoder;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>Decodes <c>ExportMetricsServiceRequest</c> (field numbers of <c>metrics.proto</c>).</summary>
internal static class OtlpMetricDecoder
{
    public static List<OtlpMetric> Decode(ReadOnlySpan<byte> request) =>
        OtlpEnvelopeDecoder.Decode(request, ReadMetric);

    private static OtlpMetric ReadMetric(ReadOnlySpan<byte> message, OtlpResource resource, OtlpScope scope)
    {
        string name = string.Empty, description = string.Empty, unit = string.Empty;
        var kind = OtlpMetricKind.Unknown;
        var monotonic = false;
        var temporality = 0;
        var points = new List<OtlpDataPoint>();

        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    name = reader.ReadString();
                    break;
                case 2:
                    description = reader.ReadString();
                    break;
                case 3:
                    unit = reader.ReadString();
                    break;
                case 5:
                    kind = OtlpMetricKind.Gauge;
                    ReadData(reader.ReadLengthDelimited(), kind, points, ref monotonic, ref temporality);
                    break;
                case 7:
                    kind = OtlpMetricKind.Sum;
                    ReadData(reader.ReadLengthDelimited(), kind, points, ref monotonic, ref temporality);
                    break;
                case 9:
                    kind = OtlpMetricKind.Histogram;
                    ReadData(reader.ReadLengthDelimited(), kind, points, ref monotonic, ref temporality);
                    break;
                case 10:
                    kind = OtlpMetricKind.ExponentialHistogram;
                    ReadData(reader.ReadLengthDelimited(), kind, points, ref monotonic, ref temporality);
                    break;
                case 11:
                    kind = OtlpMetricKind.Summary;
                    ReadData(reader.ReadLengthDelimited(), kind, points, ref monotonic, ref temporality);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpMetric
        {
            Resource = resource,
            Scope = scope,
            Name = name,
            Description = description,
            Unit = unit,
            Kind = kind,
            IsMonotonic = monotonic,
            AggregationTemporality = temporality,
            DataPoints = points,
        };
    }

    /// <summary>Reads Gauge, Sum, Histogram, ExponentialHistogram or Summary: 1 = data points, 2 = temporality.</summary>
    private static void ReadData(
        ReadOnlySpan<byte> message, OtlpMetricKind kind, List<OtlpDataPoint> points, ref bool monotonic, ref int temporality)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    points.Add(kind switch
                    {
                        OtlpMetricKind.Gauge or OtlpMetricKind.Sum => ReadNumberPoint(reader.ReadLengthDelimited()),
                        OtlpMetricKind.Histogram => ReadHistogramPoint(reader.ReadLengthDelimited()),
                        OtlpMetricKind.ExponentialHistogram => ReadExponentialPoint(reader.ReadLengthDelimited()),
                        _ => ReadSummaryPoint(reader.ReadLengthDelimited()),
                    });
                    break;
                case 2 when kind != OtlpMetricKind.Gauge && kind != OtlpMetricKind.Summary:
                    temporality = (int)reader.ReadVarint();
                    break;
                case 3 when kind == OtlpMetricKind.Sum:
                    monotonic = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    private static OtlpDataPoint ReadNumberPoint(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ulong start = 0, time = 0;
        double? asDouble = null;
        long? asInt = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    start = reader.ReadFixed64();
                    break;
                case 3:
                    time = reader.ReadFixed64();
                    break;
                case 4:
                    asDouble = reader.ReadDouble();
                    break;
                case 6:
                    asInt = (long)reader.ReadFixed64();
                    break;
                case 7:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpDataPoint
        {
            Attributes = attributes,
            StartTimeUnixNano = start,
            TimeUnixNano = time,
            DoubleValue = asDouble,
            IntValue = asInt,
        };
    }

    private static OtlpDataPoint ReadHistogramPoint(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ulong start = 0, time = 0;
        ulong? count = null;
        double? sum = null;
        var buckets = new List<ulong>();
        var bounds = new List<double>();
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    start = reader.ReadFixed64();
                    break;
                case 3:
                    time = reader.ReadFixed64();
                    break;
                case 4:
                    count = reader.ReadFixed64();
                    break;
                case 5:
                    sum = reader.ReadDouble();
                    break;
                case 6:
                    reader.ReadRepeatedFixed64(wireType, buckets);
                    break;
                case 7:
                    reader.ReadRepeatedDouble(wireType, bounds);
                    break;
                case 9:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpDataPoint
        {
            Attributes = attributes,
            StartTimeUnixNano = start,
            TimeUnixNano = time,
            Count = count,
            Sum = sum,
            BucketCounts = buckets,
            ExplicitBounds = bounds,
        };
    }

    private static OtlpDataPoint ReadExponentialPoint(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ulong start = 0, time = 0;
        ulong? count = null;
        double? sum = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                case 2:
                    start = reader.ReadFixed64();
                    break;
                case 3:
                    time = reader.ReadFixed64();
                    break;
                case 4:
                    count = reader.ReadFixed64();
                    break;
                case 5:
                    sum = reader.ReadDouble();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpDataPoint
        {
            Attributes = attributes,
            StartTimeUnixNano = start,
            TimeUnixNano = time,
            Count = count,
            Sum = sum,
        };
    }

    private static OtlpDataPoint ReadSummaryPoint(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ulong start = 0, time = 0;
        ulong? count = null;
        double? sum = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    start = reader.ReadFixed64();
                    break;
                case 3:
                    time = reader.ReadFixed64();
                    break;
                case 4:
                    count = reader.ReadFixed64();
                    break;
                case 5:
                    sum = reader.ReadDouble();
                    break;
                case 7:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpDataPoint
        {
            Attributes = attributes,
            StartTimeUnixNano = start,
            TimeUnixNano = time,
            Count = count,
            Sum = sum,
        };
    }
}
