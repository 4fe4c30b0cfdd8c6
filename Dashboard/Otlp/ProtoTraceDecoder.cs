using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes <c>ExportTraceServiceRequest</c> (opentelemetry/proto/collector/trace/v1) into <see cref="SpanRecord"/>s.</summary>
internal static class ProtoTraceDecoder
{
    public static List<ResourceGroup<SpanRecord>> Decode(ReadOnlySpan<byte> data, OtlpDecodeContext context) =>
        ProtoEnvelopeDecoder.Decode(data, context, ReadSpan);

    private static SpanRecord? ReadSpan(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var span = new SpanRecord();
        var valid = true;
        var attributes = context.RentList();
        List<SpanEvent>? events = null;
        List<SpanLink>? links = null;
        var dropped = 0L;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadTraceId(reader.ReadBytes(), out var traceId);
                    span.TraceId = traceId;
                    break;
                case (2, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadSpanId(reader.ReadBytes(), out var spanId);
                    span.SpanId = spanId;
                    break;
                case (3, WireType.LengthDelimited):
                    span.TraceState = NullIfEmpty(context.Strings.Get(reader.ReadBytes()));
                    break;
                case (4, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadSpanId(reader.ReadBytes(), out var parentId);
                    span.ParentSpanId = parentId;
                    break;
                case (5, WireType.LengthDelimited):
                    span.Name = context.Strings.Get(reader.ReadBytes());
                    break;
                case (6, WireType.Varint):
                    span.Kind = (SpanKind)Math.Min(reader.ReadVarint(), 5);
                    break;
                case (7, WireType.Fixed64):
                    span.StartUnixNano = (long)Math.Min(reader.ReadFixed64(), long.MaxValue);
                    break;
                case (8, WireType.Fixed64):
                    span.EndUnixNano = (long)Math.Min(reader.ReadFixed64(), long.MaxValue);
                    break;
                case (9, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (10, WireType.Varint):
                case (12, WireType.Varint):
                case (14, WireType.Varint):
                    dropped += (long)Math.Min(reader.ReadVarint(), int.MaxValue);
                    break;
                case (11, WireType.LengthDelimited):
                    events ??= [];
                    var spanEvent = ReadEvent(reader.ReadBytes(), context);
                    if (events.Count < context.Limits.MaxSpanEvents)
                    {
                        events.Add(spanEvent);
                    }
                    else
                    {
                        context.Truncated++;
                        dropped++;
                    }

                    break;
                case (13, WireType.LengthDelimited):
                    links ??= [];
                    var link = ReadLink(reader.ReadBytes(), context);
                    if (link is not null && links.Count < context.Limits.MaxSpanEvents)
                    {
                        links.Add(link);
                    }
                    else
                    {
                        context.Truncated++;
                        dropped++;
                    }

                    break;
                case (15, WireType.LengthDelimited):
                    ReadStatus(reader.ReadBytes(), context, span);
                    break;
                case (16, WireType.Fixed32):
                    span.Flags = reader.ReadFixed32();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        span.Attributes = context.ToArrayAndReturn(attributes);
        if (events is not null)
        {
            span.Events = [.. events];
        }

        if (links is not null)
        {
            span.Links = [.. links];
        }

        span.DroppedCount = (int)Math.Min(dropped, int.MaxValue);
        if (!valid || span.TraceId.IsEmpty || span.SpanId == 0)
        {
            context.Reject("Spans need a 16-byte trace_id and an 8-byte span_id.");
            return null;
        }

        return span;
    }

    private static SpanEvent ReadEvent(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var name = string.Empty;
        var time = 0L;
        var attributes = context.RentList();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.Fixed64):
                    time = (long)Math.Min(reader.ReadFixed64(), long.MaxValue);
                    break;
                case (2, WireType.LengthDelimited):
                    name = context.Strings.Get(reader.ReadBytes());
                    break;
                case (3, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new SpanEvent(name, time, context.ToArrayAndReturn(attributes));
    }

    private static SpanLink? ReadLink(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        TraceId traceId = default;
        ulong spanId = 0;
        string? traceState = null;
        var valid = true;
        var attributes = context.RentList();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadTraceId(reader.ReadBytes(), out traceId);
                    break;
                case (2, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadSpanId(reader.ReadBytes(), out spanId);
                    break;
                case (3, WireType.LengthDelimited):
                    traceState = NullIfEmpty(context.Strings.Get(reader.ReadBytes()));
                    break;
                case (4, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        var array = context.ToArrayAndReturn(attributes);
        return valid ? new SpanLink(traceId, spanId, traceState, array) : null;
    }

    private static void ReadStatus(ReadOnlySpan<byte> data, OtlpDecodeContext context, SpanRecord span)
    {
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (2, WireType.LengthDelimited):
                    span.StatusMessage = NullIfEmpty(context.Truncate(context.Strings.Get(reader.ReadBytes())));
                    break;
                case (3, WireType.Varint):
                    span.Status = (SpanStatusCode)Math.Min(reader.ReadVarint(), 2);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
