using System.Globalization;
using System.Text;

namespace Observability.Redis;

/// <summary>
/// A key or argument: binary-safe bytes, text (sent as UTF-8) or an integer, converted implicitly so every command
/// takes <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>byte[]</c>, <c>string</c> or a number without extra overloads.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly string? _text;
    private readonly long _integer;
    private readonly Kind _kind;

    private RedisValue(ReadOnlyMemory<byte> bytes, string? text, long integer, Kind kind)
    {
        _bytes = bytes;
        _text = text;
        _integer = integer;
        _kind = kind;
    }

    private enum Kind : byte
    {
        Bytes,
        Text,
        Integer,
    }

    public static implicit operator RedisValue(ReadOnlyMemory<byte> bytes) => new(bytes, null, 0, Kind.Bytes);

    public static implicit operator RedisValue(Memory<byte> bytes) => new(bytes, null, 0, Kind.Bytes);

    public static implicit operator RedisValue(byte[] bytes) => new(bytes, null, 0, Kind.Bytes);

    public static implicit operator RedisValue(string text) => new(default, text ?? throw new ArgumentNullException(nameof(text)), 0, Kind.Text);

    public static implicit operator RedisValue(long value) => new(default, null, value, Kind.Integer);

    public static implicit operator RedisValue(int value) => new(default, null, value, Kind.Integer);

    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    public static RedisValue FromBytes(ReadOnlyMemory<byte> bytes) => bytes;

    public static RedisValue FromString(string text) => text;

    public static RedisValue FromInt64(long value) => value;

    /// <summary>The number of bytes this value takes on the wire.</summary>
    public int ByteCount => _kind switch
    {
        Kind.Text => Encoding.UTF8.GetByteCount(_text!),
        Kind.Integer => FormattedLength(_integer),
        _ => _bytes.Length,
    };

    /// <summary>Writes the value's bytes into <paramref name="destination"/> (at least <see cref="ByteCount"/> long).</summary>
    public int CopyTo(Span<byte> destination)
    {
        switch (_kind)
        {
            case Kind.Text:
                return Encoding.UTF8.GetBytes(_text!, destination);
            case Kind.Integer:
                _integer.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
                return written;
            default:
                _bytes.Span.CopyTo(destination);
                return _bytes.Length;
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[ByteCount];
        CopyTo(bytes);
        return bytes;
    }

    public override string ToString() => _kind switch
    {
        Kind.Text => _text!,
        Kind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => Encoding.UTF8.GetString(_bytes.Span),
    };

    public bool Equals(RedisValue other) => ToArray().AsSpan().SequenceEqual(other.ToArray());

    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(ToArray());
        return hash.ToHashCode();
    }

    internal static int FormattedLength(long value)
    {
        if (value == long.MinValue)
        {
            return 20;
        }

        var length = value < 0 ? 2 : 1;
        var magnitude = Math.Abs(value);
        while (magnitude >= 10)
        {
            magnitude /= 10;
            length++;
        }

        return length;
    }
}
