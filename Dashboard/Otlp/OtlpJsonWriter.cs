using System.Globalization;
using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Writes the shared OTLP/JSON pieces: resources, scopes, attributes (typed <c>AnyValue</c>s; arrays and maps are
/// rebuilt from their stored JSON, so bytes nested inside them come back as strings), 64-bit integers as strings.
/// </summary>
internal static class OtlpJsonWriter
{
    public static void WriteResource(Utf8JsonWriter writer, TelemetryResource resource)
    {
        writer.WriteStartObject("resource");
        WriteAttributes(writer, "attributes", resource.Attributes);
        writer.WriteEndObject();
    }

    public static void WriteScope(Utf8JsonWriter writer, InstrumentationScope scope)
    {
        writer.WriteStartObject("scope");
        writer.WriteString("name", scope.Name);
        if (scope.Version is not null)
        {
            writer.WriteString("version", scope.Version);
        }

        writer.WriteEndObject();
    }

    public static void WriteAttributes(Utf8JsonWriter writer, string name, TelemetryAttribute[] attributes)
    {
        writer.WriteStartArray(name);
        foreach (var attribute in attributes)
        {
            writer.WriteStartObject();
            writer.WriteString("key", attribute.Key);
            writer.WritePropertyName("value");
            WriteAnyValue(writer, attribute.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteAnyValue(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        switch (value.Kind)
        {
            case AttributeValueKind.String:
                writer.WriteString("stringValue", value.Text);
                break;
            case AttributeValueKind.Bool:
                writer.WriteBoolean("boolValue", value.AsBool);
                break;
            case AttributeValueKind.Int:
                writer.WriteString("intValue", value.AsInt.ToString(CultureInfo.InvariantCulture));
                break;
            case AttributeValueKind.Double:
                WriteDouble(writer, "doubleValue", value.AsDouble);
                break;
            case AttributeValueKind.Bytes:
                writer.WriteString("bytesValue", value.Text);
                break;
            case AttributeValueKind.Array or AttributeValueKind.KeyValueList:
                using (var document = JsonDocument.Parse(value.Text!))
                {
                    WriteJsonAsAnyValueFields(writer, document.RootElement);
                }

                break;
        }

        writer.WriteEndObject();
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, long unixNano) =>
        writer.WriteString(name, unixNano.ToString(CultureInfo.InvariantCulture));

    public static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteJsonAsAnyValueFields(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                writer.WriteStartObject("arrayValue");
                writer.WriteStartArray("values");
                foreach (var item in element.EnumerateArray())
                {
                    writer.WriteStartObject();
                    WriteJsonAsAnyValueFields(writer, item);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject("kvlistValue");
                writer.WriteStartArray("values");
                foreach (var property in element.EnumerateObject())
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", property.Name);
                    writer.WriteStartObject("value");
                    WriteJsonAsAnyValueFields(writer, property.Value);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case JsonValueKind.String:
                writer.WriteString("stringValue", element.GetString());
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                writer.WriteString("intValue", integer.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number:
                writer.WriteNumber("doubleValue", element.GetDouble());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBoolean("boolValue", element.GetBoolean());
                break;
        }
    }
}
