using System.Globalization;

namespace Observability.Dashboard.Storage;

/// <summary>
/// A compact OTLP <c>AnyValue</c>: scalars in 8 bytes, text (strings, base64 bytes, and arrays or maps rendered
/// as JSON) in one string reference.
/// </summary>
internal readonly struct AttributeValue : IEquatable<AttributeValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private AttributeValue(AttributeValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    public AttributeValueKind Kind { get; }

    public static AttributeValue Empty => default;

    public static AttributeValue FromString(string value) => new(AttributeValueKind.String, 0, value);

    public static AttributeValue FromBool(bool value) => new(AttributeValueKind.Bool, value ? 1 : 0, null);

    public static AttributeValue FromInt(long value) => new(AttributeValueKind.Int, value, null);

    public static AttributeValue FromDouble(double value) => new(AttributeValueKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static AttributeValue FromBytes(string base64) => new(AttributeValueKind.Bytes, 0, base64);

    public static AttributeValue FromArrayJson(string json) => new(AttributeValueKind.Array, 0, json);

    public static AttributeValue FromKeyValueListJson(string json) => new(AttributeValueKind.KeyValueList, 0, json);

    public bool AsBool => _bits != 0;

    public long AsInt => _bits;

    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    /// <summary>The text of a string, bytes (base64), array or map (JSON) value; null for scalars.</summary>
    public string? Text => _text;

    /// <summary>The value as a user would type it in a filter: strings as-is, numbers invariant.</summary>
    public override string ToString() => Kind switch
    {
        AttributeValueKind.Bool => AsBool ? "true" : "false",
        AttributeValueKind.Int => AsInt.ToString(CultureInfo.InvariantCulture),
        AttributeValueKind.Double => AsDouble.ToString("R", CultureInfo.InvariantCulture),
        AttributeValueKind.Empty => string.Empty,
        _ => _text ?? string.Empty,
    };

    /// <summary>True when the value's display form equals <paramref name="text"/>.</summary>
    public bool Matches(string text) => Kind switch
    {
        AttributeValueKind.String => string.Equals(_text, text, StringComparison.Ordinal),
        _ => string.Equals(ToString(), text, StringComparison.Ordinal),
    };

    public bool Equals(AttributeValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    public static bool operator ==(AttributeValue left, AttributeValue right) => left.Equals(right);

    public static bool operator !=(AttributeValue left, AttributeValue right) => !left.Equals(right);
}
