using static Observability.TestInfrastructure.Otlp.OtlpCommonDecoder;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>Decodes <c>ExportTraceServiceRequest</c> (field numbers of <c>trace.proto</c>).</summary>
internal static class OtlpTraceDecoder
{
    public static List<OtlpSpan> Decode(ReadOnlySpan<byte> request) => OtlpEnvelopeDecoder.Decode(request, ReadSpan);

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> message, OtlpResource resource, OtlpScope scope)
    {
        string traceId = string.Empty, spanId = string.Empty, parentSpanId = string.Empty;
        string traceState = string.Empty, name = string.Empty, statusMessage = string.Empty;
        var kind = OtlpSpanKind.Unspecified;
        var status = OtlpStatusCode.Unset;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var events = new List<OtlpSpanEvent>();
        var links = new List<OtlpSpanLink>();

        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    traceId = reader.ReadHex();
                    break;
                case 2:
                    spanId = reader.ReadHex();
                    break;
                case 3:
                    traceState = reader.ReadString();
                    break;
                case 4:
                    parentSpanId = reader.ReadHex();
                    break;
                case 5:
                    name = reader.ReadString();
                    break;
                case 6:
                    kind = (OtlpSpanKind)reader.ReadVarint();
                    break;
                case 7:
                    start = reader.ReadFixed64();
                    break;
                case 8:
                    end = reader.ReadFixed64();
                    break;
                case 9:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                case 11:
                    events.Add(ReadEvent(reader.ReadLengthDelimited()));
                    break;
                case 13:
                    links.Add(ReadLink(reader.ReadLengthDelimited()));
                    break;
                case 15:
                    (status, statusMessage) = ReadStatus(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpSpan
        {
            Resource = resource,
            Scope = scope,
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parentSpanId,
            TraceState = traceState,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Attributes = attributes,
            Events = events,
            Links = links,
            StatusCode = status,
            StatusMessage = statusMessage,
        };
    }

    private static OtlpSpanEvent ReadEvent(ReadOnlySpan<byte> message)
    {
        var name = string.Empty;
        ulong time = 0;
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
                    name = reader.ReadString();
                    break;
                case 3:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpSpanEvent { Name = name, TimeUnixNano = time, Attributes = attributes };
    }

    private static OtlpSpanLink ReadLink(ReadOnlySpan<byte> message)
    {
        string traceId = string.Empty, spanId = string.Empty;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    traceId = reader.ReadHex();
                    break;
                case 2:
                    spanId = reader.ReadHex();
                    break;
                case 4:
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpSpanLink { TraceId = traceId, SpanId = spanId, Attributes = attributes };
    }

    private static (OtlpStatusCode Code, string Message) ReadStatus(ReadOnlySpan<byte> message)
    {
        var code = OtlpStatusCode.Unset;
        var text = string.Empty;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    text = reader.ReadString();
                    break;
                case 3:
                    code = (OtlpStatusCode)reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (code, text);
    }
}
