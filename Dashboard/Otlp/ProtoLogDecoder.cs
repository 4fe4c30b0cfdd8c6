using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes <c>ExportLogsServiceRequest</c> (opentelemetry/proto/collector/logs/v1) into <see cref="LogRecordEntry"/>s.</summary>
internal static class ProtoLogDecoder
{
    public static List<ResourceGroup<LogRecordEntry>> Decode(ReadOnlySpan<byte> data, OtlpDecodeContext context) =>
        ProtoEnvelopeDecoder.Decode(data, context, ReadLogRecord);

    private static LogRecordEntry? ReadLogRecord(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var log = new LogRecordEntry();
        var valid = true;
        var attributes = context.RentList();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.Fixed64):
                    log.TimeUnixNano = (long)Math.Min(reader.ReadFixed64(), long.MaxValue);
                    break;
                case (11, WireType.Fixed64):
                    log.ObservedTimeUnixNano = (long)Math.Min(reader.ReadFixed64(), long.MaxValue);
                    break;
                case (2, WireType.Varint):
                    log.SeverityNumber = (int)Math.Min(reader.ReadVarint(), 24);
                    break;
                case (3, WireType.LengthDelimited):
                    log.SeverityText = context.Strings.Get(reader.ReadBytes());
                    break;
                case (5, WireType.LengthDelimited):
                    log.Body = ProtoCommonDecoder.ReadAnyValue(reader.ReadBytes(), context);
                    break;
                case (6, WireType.LengthDelimited):
                    context.AddAttribute(attributes, ProtoCommonDecoder.ReadKeyValue(reader.ReadBytes(), context));
                    break;
                case (8, WireType.Fixed32):
                    log.Flags = reader.ReadFixed32();
                    break;
                case (9, WireType.LengthDelimited):
                    var traceBytes = reader.ReadBytes();
                    valid &= traceBytes.IsEmpty || ProtoCommonDecoder.TryReadTraceId(traceBytes, out _);
                    log.TraceId = traceBytes.Length == 16 ? TraceId.FromBytes(traceBytes) : default;
                    break;
                case (10, WireType.LengthDelimited):
                    valid &= ProtoCommonDecoder.TryReadSpanId(reader.ReadBytes(), out var spanId);
                    log.SpanId = spanId;
                    break;
                case (12, WireType.LengthDelimited):
                    log.EventName = context.Strings.Get(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        log.Attributes = context.ToArrayAndReturn(attributes);
        if (!valid)
        {
            context.Reject("Log records' trace_id must be 16 bytes and span_id 8 bytes when present.");
            return null;
        }

        return log;
    }
}
