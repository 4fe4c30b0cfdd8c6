using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Observability.Gateway.Apis;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request body into validation errors keyed by the JSON field at
/// fault (its <see cref="JsonException.Path"/>: <c>$.task</c> becomes <c>task</c>), with a message of our own: the
/// serializer's message names .NET types (and, for the document itself, the request's internal type), which a client
/// must never see.
/// </summary>
internal static class JsonBodyErrors
{
    /// <summary>The key of an error about the document itself (not JSON, not an object, trailing data...).</summary>
    public const string BodyKey = "body";

    public static Dictionary<string, string[]> From(JsonException exception, JsonTypeInfo body)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(body);

        if (TopLevelProperty(exception.Path) is not { } name)
        {
            var fields = string.Join(", ", body.Properties.Select(p => p.Name));
            return new(StringComparer.Ordinal) { [BodyKey] = [$"The body must be one JSON object with the fields {fields}."] };
        }

        // Property names match case-insensitively (JsonSerializerDefaults.Web): report the field as the API spells it.
        var property = body.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var field = property?.Name ?? name;
        var message = property is null
            ? $"The field '{field}' is not valid JSON."
            : $"The field '{field}' must be {Describe(property.PropertyType)}.";
        return new(StringComparer.Ordinal) { [field] = [message] };
    }

    /// <summary>The top-level property of a JSON path (<c>$.task</c>, <c>$.task[0]</c>, <c>$['task']</c>); null for the document itself.</summary>
    public static string? TopLevelProperty(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$' || path.Length < 2)
        {
            return null;
        }

        var rest = path.AsSpan(1);
        if (rest.StartsWith("['", StringComparison.Ordinal))
        {
            var close = rest.IndexOf("']", StringComparison.Ordinal);
            return close > 2 ? rest[2..close].ToString() : null;
        }

        if (rest[0] != '.')
        {
            return null;
        }

        rest = rest[1..];
        var end = rest.IndexOfAny('.', '[');
        var property = end < 0 ? rest : rest[..end];
        return property.IsEmpty ? null : property.ToString();
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a JSON string of valid Unicode text",
        var t when t == typeof(Guid) => "a UUID string",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) => "a whole number in range",
        var t when t.IsEnum => $"one of: {string.Join(", ", Enum.GetNames(t))}",
        _ => "a JSON value of the documented type",
    };
}
