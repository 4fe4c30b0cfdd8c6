using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Field access for the OTLP/JSON mapping: lowerCamelCase names (the original snake_case names are accepted
/// too), 64-bit integers as strings or numbers, enums as integers. A field of the wrong JSON type makes the
/// whole export undecodable.
/// </summary>
internal static class JsonFields
{
    private static readonly ConcurrentDictionary<string, string> s_snakeNames = new(StringComparer.Ordinal);

    public static bool TryGet(JsonElement parent, string camelName, out JsonElement value)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new OtlpDecodeException("Expected a JSON object.");
        }

        if (parent.TryGetProperty(camelName, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        var snake = s_snakeNames.GetOrAdd(camelName, ToSnakeCase);
        return !ReferenceEquals(snake, camelName) && parent.TryGetProperty(snake, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, string camelName)
    {
        if (!TryGet(parent, camelName, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new OtlpDecodeException($"'{camelName}' must be a JSON array.");
        }

        return value.EnumerateArray();
    }

    public static string? String(JsonElement parent, string camelName)
    {
        if (!TryGet(parent, camelName, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new OtlpDecodeException($"'{camelName}' must be a JSON string.");
    }

    public static long Int64(JsonElement parent, string camelName) =>
        TryGet(parent, camelName, out var value) ? ToInt64(value, camelName) : 0;

    public static ulong UInt64(JsonElement parent, string camelName)
    {
        if (!TryGet(parent, camelName, out var value))
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new OtlpDecodeException($"'{camelName}' must be an unsigned 64-bit integer.");
    }

    /// <summary>A fixed64 nanosecond timestamp, clamped to <see cref="long.MaxValue"/>.</summary>
    public static long Time(JsonElement parent, string camelName) => (long)Math.Min(UInt64(parent, camelName), long.MaxValue);

    public static double? Double(JsonElement parent, string camelName) =>
        TryGet(parent, camelName, out var value) ? ToDouble(value, camelName) : null;

    public static bool Bool(JsonElement parent, string camelName)
    {
        if (!TryGet(parent, camelName, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new OtlpDecodeException($"'{camelName}' must be true or false."),
        };
    }

    public static long ToInt64(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new OtlpDecodeException($"'{name}' must be a 64-bit integer.");
    }

    public static double ToDouble(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString())
            {
                case "NaN":
                    return double.NaN;
                case "Infinity":
                    return double.PositiveInfinity;
                case "-Infinity":
                    return double.NegativeInfinity;
                case var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
            }
        }

        throw new OtlpDecodeException($"'{name}' must be a number.");
    }

    private static string ToSnakeCase(string camelName)
    {
        var hasUpper = false;
        foreach (var c in camelName)
        {
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        if (!hasUpper)
        {
            return camelName;
        }

        return string.Concat(camelName.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
    }
}
