using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes the four OTLP data point messages and their exemplars.</summary>
internal static class ProtoMetricPointDecoder
{
    private const int MaxBuckets = 4_096;

    public static MetricPoint ReadNumberPoint(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var point = new MetricPoint();
        var attributes = context.RentList();
        List<Exemplar>? exemplars = null;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (7, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (2, WireType.Fixed64):
                    point.StartUnixNano = ReadTime(ref reader);
                    break;
                case (3, WireType.Fixed64):
                    point.TimeUnixNano = ReadTime(ref reader);
                    break;
                case (4, WireType.Fixed64):
                    point.Value = reader.ReadDouble();
                    break;
                case (6, WireType.Fixed64):
                    point.Value = (long)reader.ReadFixed64();
                    break;
                case (5, WireType.LengthDelimited):
                    AddExemplar(ref exemplars, reader.ReadBytes(), context);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return Finish(point, attributes, exemplars, context);
    }

    public static MetricPoint ReadHistogramPoint(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var point = new MetricPoint();
        var attributes = context.RentList();
        List<Exemplar>? exemplars = null;
        var counts = new List<ulong>();
        var bounds = new List<double>();
        ulong count = 0;
        double? sum = null, min = null, max = null;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (9, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (2, WireType.Fixed64):
                    point.StartUnixNano = ReadTime(ref reader);
                    break;
                case (3, WireType.Fixed64):
                    point.TimeUnixNano = ReadTime(ref reader);
                    break;
                case (4, WireType.Fixed64):
                    count = reader.ReadFixed64();
                    break;
                case (5, WireType.Fixed64):
                    sum = reader.ReadDouble();
                    break;
                case (6, WireType.LengthDelimited):
                    ReadPackedFixed64(reader.ReadBytes(), counts);
                    break;
                case (6, WireType.Fixed64):
                    AddBucket(counts, reader.ReadFixed64());
                    break;
                case (7, WireType.LengthDelimited):
                    ReadPackedDouble(reader.ReadBytes(), bounds);
                    break;
                case (7, WireType.Fixed64):
                    AddBucket(bounds, reader.ReadDouble());
                    break;
                case (8, WireType.LengthDelimited):
                    AddExemplar(ref exemplars, reader.ReadBytes(), context);
                    break;
                case (11, WireType.Fixed64):
                    min = reader.ReadDouble();
                    break;
                case (12, WireType.Fixed64):
                    max = reader.ReadDouble();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (counts.Count != 0 && counts.Count != bounds.Count + 1)
        {
            throw new OtlpDecodeException("Histogram bucket_counts must have one more entry than explicit_bounds.");
        }

        point.Histogram = new HistogramValues(count, sum, min, max, [.. bounds], [.. counts]);
        return Finish(point, attributes, exemplars, context);
    }

    public static MetricPoint ReadExponentialPoint(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var point = new MetricPoint();
        var attributes = context.RentList();
        List<Exemplar>? exemplars = null;
        ulong count = 0, zeroCount = 0;
        double? sum = null, min = null, max = null;
        double zeroThreshold = 0;
        var scale = 0;
        (int Offset, ulong[] Counts) positive = (0, []), negative = (0, []);
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (2, WireType.Fixed64):
                    point.StartUnixNano = ReadTime(ref reader);
                    break;
                case (3, WireType.Fixed64):
                    point.TimeUnixNano = ReadTime(ref reader);
                    break;
                case (4, WireType.Fixed64):
                    count = reader.ReadFixed64();
                    break;
                case (5, WireType.Fixed64):
                    sum = reader.ReadDouble();
                    break;
                case (6, WireType.Varint):
                    scale = (int)reader.ReadSInt32();
                    break;
                case (7, WireType.Fixed64):
                    zeroCount = reader.ReadFixed64();
                    break;
                case (8, WireType.LengthDelimited):
                    positive = ReadBuckets(reader.ReadBytes());
                    break;
                case (9, WireType.LengthDelimited):
                    negative = ReadBuckets(reader.ReadBytes());
                    break;
                case (11, WireType.LengthDelimited):
                    AddExemplar(ref exemplars, reader.ReadBytes(), context);
                    break;
                case (12, WireType.Fixed64):
                    min = reader.ReadDouble();
                    break;
                case (13, WireType.Fixed64):
                    max = reader.ReadDouble();
                    break;
                case (14, WireType.Fixed64):
                    zeroThreshold = reader.ReadDouble();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (scale is < -10 or > 20)
        {
            throw new OtlpDecodeException("Exponential histogram scale must be between -10 and 20.");
        }

        point.Exponential = new ExponentialHistogramValues(count, sum, min, max, scale, zeroCount, zeroThreshold,
            positive.Offset, positive.Counts, negative.Offset, negative.Counts);
        return Finish(point, attributes, exemplars, context);
    }

    public static MetricPoint ReadSummaryPoint(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var point = new MetricPoint();
        var attributes = context.RentList();
        ulong count = 0;
        double sum = 0;
        var quantiles = new List<(double, double)>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (7, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (2, WireType.Fixed64):
                    point.StartUnixNano = ReadTime(ref reader);
                    break;
                case (3, WireType.Fixed64):
                    point.TimeUnixNano = ReadTime(ref reader);
                    break;
                case (4, WireType.Fixed64):
                    count = reader.ReadFixed64();
                    break;
                case (5, WireType.Fixed64):
                    sum = reader.ReadDouble();
                    break;
                case (6, WireType.LengthDelimited):
                    var quantileReader = new ProtoReader(reader.ReadBytes());
                    double quantile = 0, value = 0;
                    while (quantileReader.TryReadTag(out var qField, out var qWire))
                    {
                        switch (qField, qWire)
                        {
                            case (1, WireType.Fixed64):
                                quantile = quantileReader.ReadDouble();
                                break;
                            case (2, WireType.Fixed64):
                                value = quantileReader.ReadDouble();
                                break;
                            default:
                                quantileReader.Skip(qWire);
                                break;
                        }
                    }

                    AddBucket(quantiles, (quantile, value));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        point.Summary = new SummaryValues(count, sum, [.. quantiles]);
        return Finish(point, attributes, null, context);
    }

    private static Exemplar ReadExemplar(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var attributes = context.RentList();
        long time = 0;
        double value = 0;
        TraceId traceId = default;
        ulong spanId = 0;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (7, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (2, WireType.Fixed64):
                    time = ReadTime(ref reader);
                    break;
                case (3, WireType.Fixed64):
                    value = reader.ReadDouble();
                    break;
                case (6, WireType.Fixed64):
                    value = (long)reader.ReadFixed64();
                    break;
                case (4, WireType.LengthDelimited):
                    ProtoCommonDecoder.TryReadSpanId(reader.ReadBytes(), out spanId);
                    break;
                case (5, WireType.LengthDelimited):
                    ProtoCommonDecoder.TryReadTraceId(reader.ReadBytes(), out traceId);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new Exemplar(time, value, traceId, spanId, context.ToArrayAndReturn(attributes));
    }

    private static void AddExemplar(ref List<Exemplar>? exemplars, ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        exemplars ??= [];
        var exemplar = ReadExemplar(data, context);
        if (exemplars.Count < context.Limits.MaxSpanEvents)
        {
            exemplars.Add(exemplar);
        }
        else
        {
            context.Truncated++;
        }
    }

    private static (int Offset, ulong[] Counts) ReadBuckets(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        var counts = new List<ulong>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.Varint):
                    offset = (int)reader.ReadSInt32();
                    break;
                case (2, WireType.LengthDelimited):
                    var packed = new ProtoReader(reader.ReadBytes());
                    while (packed.Remaining > 0)
                    {
                        AddBucket(counts, packed.ReadVarint());
                    }

                    break;
                case (2, WireType.Varint):
                    AddBucket(counts, reader.ReadVarint());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (offset, [.. counts]);
    }

    private static void ReadPackedFixed64(ReadOnlySpan<byte> data, List<ulong> values)
    {
        var reader = new ProtoReader(data);
        while (reader.Remaining > 0)
        {
            AddBucket(values, reader.ReadFixed64());
        }
    }

    private static void ReadPackedDouble(ReadOnlySpan<byte> data, List<double> values)
    {
        var reader = new ProtoReader(data);
        while (reader.Remaining > 0)
        {
            AddBucket(values, reader.ReadDouble());
        }
    }

    private static void AddBucket<T>(List<T> values, T value)
    {
        if (values.Count >= MaxBuckets)
        {
            throw new OtlpDecodeException($"Data points may have at most {MaxBuckets} buckets.");
        }

        values.Add(value);
    }

    private static long ReadTime(ref ProtoReader reader) => (long)Math.Min(reader.ReadFixed64(), long.MaxValue);

    private static MetricPoint Finish(MetricPoint point, List<TelemetryAttribute> attributes, List<Exemplar>? exemplars, OtlpDecodeContext context)
    {
        point.Attributes = context.ToArrayAndReturn(attributes);
        if (exemplars is not null)
        {
            point.Exemplars = [.. exemplars];
        }

        return point;
    }
}
