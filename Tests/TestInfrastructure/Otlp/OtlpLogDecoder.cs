using static Observability.TestInfrastructure.Otlp.OtlpCommonDecoder;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>Decodes <c>ExportLogsServiceRequest</c> (field numbers of <c>logs.proto</c>).</summary>
internal static class OtlpLogDecoder
{
    public static List<OtlpLogRecord> Decode(ReadOnlySpan<byte> request) =>
        OtlpEnvelopeDecoder.Decode(request, ReadLogRecord);

    private static OtlpLogRecord ReadLogRecord(ReadOnlySpan<byte> message, OtlpResource resource, OtlpScope scope)
    {
        ulong time = 0;
        var severityNumber = 0;
        string severityText = string.Empty, traceId = string.Empty, spanId = string.Empty, eventName = string.Empty;
        object? body = null;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);

        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    time = reader.ReadFixed64();
                    break;
                case 2:
                    severityNumber = (int)reader.ReadVarint();
                    break;
                case 3:
                    severityText = reader.ReadString();
                    break;
                case 5:
                    body = ReadAnyValue(reader.ReadLengthDelimited());
                    break;
                case 6:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                case 9:
                    traceId = reader.ReadHex();
                    break;
                case 10:
                    spanId = reader.ReadHex();
                    break;
                case 12:
                    eventName = reader.ReadString();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpLogRecord
        {
            Resource = resource,
            Scope = scope,
            TimeUnixNano = time,
            SeverityNumber = severityNumber,
            SeverityText = severityText,
            Body = body,
            Attributes = attributes,
            TraceId = traceId,
            SpanId = spanId,
            EventName = eventName,
        };
    }
}
