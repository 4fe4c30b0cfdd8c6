using System.Buffers;
using System.Text;
using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes the OTLP/JSON forms of <c>Resource</c>, <c>InstrumentationScope</c>, <c>KeyValue</c> and <c>AnyValue</c>, and ids in hex.</summary>
internal static class JsonCommonDecoder
{
    public static TelemetryAttribute[] ReadResource(JsonElement parent, OtlpDecodeContext context) =>
        JsonFields.TryGet(parent, "resource", out var resource) ? ReadAttributes(resource, "attributes", context) : [];

    public static InstrumentationScope ReadScope(JsonElement parent, OtlpDecodeContext context)
    {
        if (!JsonFields.TryGet(parent, "scope", out var scope))
        {
            return InstrumentationScope.Empty;
        }

        var name = JsonFields.String(scope, "name") ?? string.Empty;
        var version = JsonFields.String(scope, "version");
        return new InstrumentationScope(context.Strings.Get(name), string.IsNullOrEmpty(version) ? null : context.Strings.Get(version));
    }

    public static TelemetryAttribute[] ReadAttributes(JsonElement parent, string camelName, OtlpDecodeContext context)
    {
        var list = context.RentList();
        foreach (var item in JsonFields.Array(parent, camelName))
        {
            var key = JsonFields.String(item, "key") ?? string.Empty;
            var value = JsonFields.TryGet(item, "value", out var any) ? ReadAnyValue(any, context) : AttributeValue.Empty;
            context.AddAttribute(list, new TelemetryAttribute(context.Strings.Get(key), value));
        }

        return context.ToArrayAndReturn(list);
    }

    public static AttributeValue ReadAnyValue(JsonElement value, OtlpDecodeContext context)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new OtlpDecodeException("An AnyValue must be a JSON object.");
        }

        if (JsonFields.TryGet(value, "stringValue", out var text))
        {
            return AttributeValue.FromString(context.Truncate(context.Strings.Get(AsString(text, "stringValue"))));
        }

        if (JsonFields.TryGet(value, "boolValue", out _))
        {
            return AttributeValue.FromBool(JsonFields.Bool(value, "boolValue"));
        }

        if (JsonFields.TryGet(value, "intValue", out var integer))
        {
            return AttributeValue.FromInt(JsonFields.ToInt64(integer, "intValue"));
        }

        if (JsonFields.TryGet(value, "doubleValue", out var number))
        {
            return AttributeValue.FromDouble(JsonFields.ToDouble(number, "doubleValue"));
        }

        if (JsonFields.TryGet(value, "bytesValue", out var bytes))
        {
            var base64 = AsString(bytes, "bytesValue");
            if (!Convert.TryFromBase64String(base64, new byte[(base64.Length * 3 / 4) + 3], out _))
            {
                throw new OtlpDecodeException("'bytesValue' must be base64.");
            }

            return AttributeValue.FromBytes(context.Truncate(base64));
        }

        if (JsonFields.TryGet(value, "arrayValue", out _))
        {
            return AttributeValue.FromArrayJson(context.Truncate(ToJson(value, context)));
        }

        if (JsonFields.TryGet(value, "kvlistValue", out _))
        {
            return AttributeValue.FromKeyValueListJson(context.Truncate(ToJson(value, context)));
        }

        return AttributeValue.Empty;
    }

    /// <summary>Parses a hex trace id; empty is "none". Returns false for any other malformed value.</summary>
    public static bool TryReadTraceId(JsonElement parent, string camelName, out TraceId traceId)
    {
        traceId = default;
        var hex = JsonFields.String(parent, camelName);
        return string.IsNullOrEmpty(hex) || TraceId.TryParse(hex, out traceId);
    }

    /// <summary>Parses a hex span id; empty is "none". Returns false for any other malformed value.</summary>
    public static bool TryReadSpanId(JsonElement parent, string camelName, out ulong spanId)
    {
        spanId = 0;
        var hex = JsonFields.String(parent, camelName);
        return string.IsNullOrEmpty(hex) || SpanIds.TryParse(hex, out spanId);
    }

    private static string AsString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new OtlpDecodeException($"'{name}' must be a JSON string.");

    private static string ToJson(JsonElement anyValue, OtlpDecodeContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(anyValue, writer, context, 1);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(JsonElement anyValue, Utf8JsonWriter writer, OtlpDecodeContext context, int depth)
    {
        if (depth > context.Limits.MaxNestingDepth)
        {
            throw new OtlpDecodeException($"Attribute values are nested deeper than {context.Limits.MaxNestingDepth} levels.");
        }

        if (anyValue.ValueKind != JsonValueKind.Object)
        {
            throw new OtlpDecodeException("An AnyValue must be a JSON object.");
        }

        if (JsonFields.TryGet(anyValue, "arrayValue", out var array))
        {
            writer.WriteStartArray();
            foreach (var item in JsonFields.Array(array, "values"))
            {
                WriteValue(item, writer, context, depth + 1);
            }

            writer.WriteEndArray();
            return;
        }

        if (JsonFields.TryGet(anyValue, "kvlistValue", out var map))
        {
            writer.WriteStartObject();
            foreach (var item in JsonFields.Array(map, "values"))
            {
                writer.WritePropertyName(JsonFields.String(item, "key") ?? string.Empty);
                if (JsonFields.TryGet(item, "value", out var inner))
                {
                    WriteValue(inner, writer, context, depth + 1);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
            return;
        }

        var scalar = ReadAnyValue(anyValue, context);
        switch (scalar.Kind)
        {
            case AttributeValueKind.Bool:
                writer.WriteBooleanValue(scalar.AsBool);
                break;
            case AttributeValueKind.Int:
                writer.WriteNumberValue(scalar.AsInt);
                break;
            case AttributeValueKind.Double when double.IsFinite(scalar.AsDouble):
                writer.WriteNumberValue(scalar.AsDouble);
                break;
            case AttributeValueKind.Empty:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(scalar.ToString());
                break;
        }
    }
}
