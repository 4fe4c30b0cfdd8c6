using System.Buffers;
using System.Globalization;
using System.Text;
using Observability.Redis.Protocol;

namespace Observability.Redis;

/// <summary>
/// A reply of any shape, as returned by <see cref="RedisClient.ExecuteAsync(string, ReadOnlySpan{RedisValue}, CancellationToken)"/>.
/// Maps keep their pairs in order in <see cref="Elements"/> (key, value, key, value, ...).
/// </summary>
public sealed class RedisReply
{
    private static readonly RedisReply NullReply = new(RedisReplyType.Null);

    private RedisReply(RedisReplyType type, byte[]? bytes = null, long integer = 0, double number = 0, IReadOnlyList<RedisReply>? elements = null)
    {
        Type = type;
        Bytes = bytes is null ? null : new ReadOnlyMemory<byte>(bytes);
        IntegerValue = integer;
        DoubleValue = number;
        Elements = elements ?? [];
    }

    public RedisReplyType Type { get; }

    /// <summary>The raw bytes of a string, error, big number or verbatim string (its <c>txt:</c> prefix removed).</summary>
    public ReadOnlyMemory<byte>? Bytes { get; }

    /// <summary>The value of an integer, or 1/0 for a boolean.</summary>
    public long IntegerValue { get; }

    public double DoubleValue { get; }

    public bool Boolean => IntegerValue != 0;

    /// <summary>Children of an array, set, push or map (flattened key/value pairs).</summary>
    public IReadOnlyList<RedisReply> Elements { get; }

    public bool IsNull => Type == RedisReplyType.Null;

    /// <summary>The value as text: strings decoded as UTF-8, numbers formatted invariantly, null for null.</summary>
    public string? AsString() => Type switch
    {
        RedisReplyType.Null => null,
        RedisReplyType.Integer => IntegerValue.ToString(CultureInfo.InvariantCulture),
        RedisReplyType.Double => DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        RedisReplyType.Boolean => Boolean ? "true" : "false",
        _ when Bytes is { } bytes => Encoding.UTF8.GetString(bytes.Span),
        _ => null,
    };

    /// <summary>The value as a number: integers, doubles and numeric strings.</summary>
    public long AsInt64() => Type switch
    {
        RedisReplyType.Integer or RedisReplyType.Boolean => IntegerValue,
        RedisReplyType.Double => (long)DoubleValue,
        _ when Bytes is { } bytes && long.TryParse(bytes.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new InvalidCastException($"A {Type} reply is not an integer."),
    };

    /// <summary>The pairs of a map (or of an array of alternating keys and values, as RESP2 sends them).</summary>
    public IEnumerable<KeyValuePair<RedisReply, RedisReply>> AsPairs()
    {
        for (var i = 0; i + 1 < Elements.Count; i += 2)
        {
            yield return new(Elements[i], Elements[i + 1]);
        }
    }

    public override string ToString() => Type switch
    {
        RedisReplyType.Array or RedisReplyType.Set or RedisReplyType.Push or RedisReplyType.Map =>
            $"{Type}[{string.Join(", ", Elements.Select(e => e.ToString()))}]",
        _ => $"{Type}({AsString()})",
    };

    /// <summary>Builds the tree of a complete frame (the scanner has validated it).</summary>
    internal static RedisReply Parse(in RespFrame frame, RespLimits limits)
    {
        var reader = new SequenceReader<byte>(frame.Data);
        return Read(ref reader, 0, limits);
    }

    private static RedisReply Read(ref SequenceReader<byte> reader, int depth, RespLimits limits)
    {
        if (!RespScanner.TryReadHeader(ref reader, depth, limits, out var prefix, out var header, out var payload))
        {
            throw new RedisProtocolException("RESP value ended early.");
        }

        switch (prefix)
        {
            case RespPrefix.SimpleString:
                return new(RedisReplyType.SimpleString, payload.ToArray());
            case RespPrefix.Error or RespPrefix.BulkError:
                return header < 0 ? NullReply : new(RedisReplyType.Error, payload.ToArray());
            case RespPrefix.Integer:
                return new(RedisReplyType.Integer, integer: header);
            case RespPrefix.Null:
                return NullReply;
            case RespPrefix.Boolean:
                return new(RedisReplyType.Boolean, integer: header);
            case RespPrefix.Double:
                return new(RedisReplyType.Double, payload.ToArray(), number: RespScanner.ParseDouble(payload));
            case RespPrefix.BigNumber:
                return new(RedisReplyType.BigNumber, payload.ToArray());
            case RespPrefix.BulkString:
                return header < 0 ? NullReply : new(RedisReplyType.BulkString, payload.ToArray());
            case RespPrefix.VerbatimString:
                return new(RedisReplyType.VerbatimString, (payload.Length >= 4 ? payload.Slice(4) : payload).ToArray());
            default:
                if (header < 0)
                {
                    return NullReply;
                }

                var children = RespScanner.ChildCount(prefix, header);
                var elements = new RedisReply[children];
                for (long i = 0; i < children; i++)
                {
                    elements[i] = Read(ref reader, depth + 1, limits);
                }

                var type = prefix switch
                {
                    RespPrefix.Set => RedisReplyType.Set,
                    RespPrefix.Map => RedisReplyType.Map,
                    RespPrefix.Push => RedisReplyType.Push,
                    _ => RedisReplyType.Array,
                };
                return new(type, elements: elements);
        }
    }
}
