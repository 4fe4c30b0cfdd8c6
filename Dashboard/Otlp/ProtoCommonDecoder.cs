using System.Buffers;
using System.Text;
using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes the messages every signal shares: <c>Resource</c>, <c>InstrumentationScope</c>, <c>KeyValue</c>, <c>AnyValue</c>.</summary>
internal static class ProtoCommonDecoder
{
    public static TelemetryAttribute[] ReadResource(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var reader = new ProtoReader(data);
        var list = context.RentList();
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                context.AddAttribute(list, ReadKeyValue(reader.ReadBytes(), context));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return context.ToArrayAndReturn(list);
    }

    public static InstrumentationScope ReadScope(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var reader = new ProtoReader(data);
        string name = string.Empty;
        string? version = null;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    name = context.Strings.Get(reader.ReadBytes());
                    break;
                case (2, WireType.LengthDelimited):
                    version = context.Strings.Get(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new InstrumentationScope(name, string.IsNullOrEmpty(version) ? null : version);
    }

    public static TelemetryAttribute ReadKeyValue(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var reader = new ProtoReader(data);
        var key = string.Empty;
        var value = AttributeValue.Empty;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    key = context.Strings.Get(reader.ReadBytes());
                    break;
                case (2, WireType.LengthDelimited):
                    value = ReadAnyValue(reader.ReadBytes(), context);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new TelemetryAttribute(key, value);
    }

    public static AttributeValue ReadAnyValue(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    {
        var reader = new ProtoReader(data);
        var value = AttributeValue.Empty;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    value = AttributeValue.FromString(context.Truncate(context.Strings.Get(reader.ReadBytes())));
                    break;
                case (2, WireType.Varint):
                    value = AttributeValue.FromBool(reader.ReadVarint() != 0);
                    break;
                case (3, WireType.Varint):
                    value = AttributeValue.FromInt((long)reader.ReadVarint());
                    break;
                case (4, WireType.Fixed64):
                    value = AttributeValue.FromDouble(reader.ReadDouble());
                    break;
                case (5, WireType.LengthDelimited):
                    value = AttributeValue.FromArrayJson(context.Truncate(ToJson(reader.ReadBytes(), context, isArray: true)));
                    break;
                case (6, WireType.LengthDelimited):
                    value = AttributeValue.FromKeyValueListJson(context.Truncate(ToJson(reader.ReadBytes(), context, isArray: false)));
                    break;
                case (7, WireType.LengthDelimited):
                    value = AttributeValue.FromBytes(context.Truncate(Convert.ToBase64String(reader.ReadBytes())));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return value;
    }

    private static string ToJson(ReadOnlySpan<byte> data, OtlpDecodeContext context, bool isArray)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (isArray)
            {
                WriteArray(data, writer, context, 1);
            }
            else
            {
                WriteMap(data, writer, context, 1);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteArray(ReadOnlySpan<byte> data, Utf8JsonWriter writer, OtlpDecodeContext context, int depth)
    {
        CheckDepth(depth, context);
        writer.WriteStartArray();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                WriteValue(reader.ReadBytes(), writer, context, depth + 1);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(ReadOnlySpan<byte> data, Utf8JsonWriter writer, OtlpDecodeContext context, int depth)
    {
        CheckDepth(depth, context);
        writer.WriteStartObject();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1 || wireType != WireType.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var entry = new ProtoReader(reader.ReadBytes());
            ReadOnlySpan<byte> key = default;
            ReadOnlySpan<byte> value = default;
            while (entry.TryReadTag(out var entryField, out var entryWire))
            {
                switch (entryField, entryWire)
                {
                    case (1, WireType.LengthDelimited):
                        key = entry.ReadBytes();
                        break;
                    case (2, WireType.LengthDelimited):
                        value = entry.ReadBytes();
                        break;
                    default:
                        entry.Skip(entryWire);
                        break;
                }
            }

            writer.WritePropertyName(key);
            WriteValue(value, writer, context, depth + 1);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(ReadOnlySpan<byte> data, Utf8JsonWriter writer, OtlpDecodeContext context, int depth)
    {
        CheckDepth(depth, context);
        var reader = new ProtoReader(data);
        var written = false;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (written)
            {
                reader.Skip(wireType);
                continue;
            }

            written = true;
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    writer.WriteStringValue(reader.ReadBytes());
                    break;
                case (2, WireType.Varint):
                    writer.WriteBooleanValue(reader.ReadVarint() != 0);
                    break;
                case (3, WireType.Varint):
                    writer.WriteNumberValue((long)reader.ReadVarint());
                    break;
                case (4, WireType.Fixed64):
                    var number = reader.ReadDouble();
                    if (double.IsFinite(number))
                    {
                        writer.WriteNumberValue(number);
                    }
                    else
                    {
                        writer.WriteStringValue(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                case (5, WireType.LengthDelimited):
                    WriteArray(reader.ReadBytes(), writer, context, depth + 1);
                    break;
                case (6, WireType.LengthDelimited):
                    WriteMap(reader.ReadBytes(), writer, context, depth + 1);
                    break;
                case (7, WireType.LengthDelimited):
                    writer.WriteBase64StringValue(reader.ReadBytes());
                    break;
                default:
                    written = false;
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!written)
        {
            writer.WriteNullValue();
        }
    }

    private static void CheckDepth(int depth, OtlpDecodeContext context)
    {
        if (depth > context.Limits.MaxNestingDepth)
        {
            throw new OtlpDecodeException($"Attribute values are nested deeper than {context.Limits.MaxNestingDepth} levels.");
        }
    }

    /// <summary>Reads a 16-byte trace id; false when absent or the wrong length.</summary>
    public static bool TryReadTraceId(ReadOnlySpan<byte> bytes, out TraceId traceId)
    {
        traceId = bytes.Length == 16 ? TraceId.FromBytes(bytes) : default;
        return !traceId.IsEmpty;
    }

    /// <summary>Reads an 8-byte span id; empty input is "none" (0); any other length is invalid.</summary>
    public static bool TryReadSpanId(ReadOnlySpan<byte> bytes, out ulong spanId)
    {
        spanId = bytes.Length == 8 ? SpanIds.FromBytes(bytes) : 0;
        return bytes.Length is 0 or 8;
    }
}
