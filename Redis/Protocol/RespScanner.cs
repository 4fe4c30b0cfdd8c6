using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Observability.Redis.Protocol;

/// <summary>
/// Finds complete RESP2/RESP3 values in a receive buffer without copying them. Incomplete input answers false (read
/// more); malformed input, lengths beyond <see cref="RespLimits"/> or nesting deeper than allowed throw
/// <see cref="RedisProtocolException"/> before anything is allocated for them.
/// </summary>
internal static class RespScanner
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Reads one complete top-level value from the start of <paramref name="buffer"/>.</summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, RespLimits limits, out RespFrame frame)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!TryReadHeader(ref reader, 0, limits, out var prefix, out var header, out var payload)
            || !TrySkipChildren(ref reader, prefix, header, 0, limits))
        {
            frame = default;
            return false;
        }

        frame = new RespFrame(buffer.Slice(0, reader.Position), prefix, header, payload);
        return true;
    }

    /// <summary>How many child values an aggregate header announces (maps and attributes count key and value).</summary>
    public static long ChildCount(byte prefix, long header) => header <= 0
        ? 0
        : prefix switch
        {
            RespPrefix.Array or RespPrefix.Set or RespPrefix.Push => header,
            RespPrefix.Map or RespPrefix.Attribute => header * 2,
            _ => 0,
        };

    /// <summary>Reads a value's type byte and header line, and a bulk value's body; attributes in front are skipped.</summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, int depth, RespLimits limits, out byte prefix, out long header, out ReadOnlySequence<byte> payload)
    {
        header = 0;
        payload = default;
        while (true)
        {
            if (depth > limits.MaxDepth)
            {
                throw new RedisProtocolException($"RESP nesting deeper than {limits.MaxDepth} levels.");
            }

            if (!reader.TryRead(out prefix) || !TryReadLine(ref reader, limits, out var line))
            {
                return false;
            }

            switch (prefix)
            {
                case RespPrefix.SimpleString or RespPrefix.Error:
                    payload = line;
                    return true;
                case RespPrefix.Integer:
                    header = ParseInteger(line);
                    return true;
                case RespPrefix.Null:
                    if (!line.IsEmpty)
                    {
                        throw new RedisProtocolException("RESP3 null carries data.");
                    }

                    return true;
                case RespPrefix.Boolean:
                    header = ParseBoolean(line) ? 1 : 0;
                    return true;
                case RespPrefix.Double:
                    _ = ParseDouble(line);
                    payload = line;
                    return true;
                case RespPrefix.BigNumber:
                    ValidateBigNumber(line);
                    payload = line;
                    return true;
                case RespPrefix.BulkString or RespPrefix.BulkError or RespPrefix.VerbatimString:
                    header = ParseLength(line, prefix == RespPrefix.BulkString, limits.MaxBulkLength);
                    if (header < 0)
                    {
                        return true;
                    }

                    if (reader.Remaining < header + 2)
                    {
                        return false;
                    }

                    payload = reader.UnreadSequence.Slice(0, header);
                    reader.Advance(header);
                    if (!reader.IsNext(Crlf, advancePast: true))
                    {
                        throw new RedisProtocolException("RESP bulk value is not followed by CRLF.");
                    }

                    return true;
                case RespPrefix.Array or RespPrefix.Set or RespPrefix.Map or RespPrefix.Push:
                    header = ParseLength(line, prefix == RespPrefix.Array, limits.MaxAggregateLength);
                    return true;
                case RespPrefix.Attribute:
                    var count = ParseLength(line, false, limits.MaxAggregateLength);
                    if (!TrySkipChildren(ref reader, prefix, count, depth, limits))
                    {
                        return false;
                    }

                    continue;
                default:
                    throw new RedisProtocolException($"Unknown RESP type byte 0x{prefix:X2}.");
            }
        }
    }

    /// <summary>Skips the children of an aggregate whose header was just read.</summary>
    public static bool TrySkipChildren(ref SequenceReader<byte> reader, byte prefix, long header, int depth, RespLimits limits)
    {
        var children = ChildCount(prefix, header);
        for (long i = 0; i < children; i++)
        {
            if (!TryReadHeader(ref reader, depth + 1, limits, out var childPrefix, out var childHeader, out _)
                || !TrySkipChildren(ref reader, childPrefix, childHeader, depth + 1, limits))
            {
                return false;
            }
        }

        return true;
    }

    public static long ParseInteger(in ReadOnlySequence<byte> line)
    {
        Span<byte> scratch = stackalloc byte[24];
        var span = Flatten(line, scratch, "integer");
        if (!Utf8Parser.TryParse(span, out long value, out var consumed) || consumed != span.Length)
        {
            throw new RedisProtocolException("RESP integer is not a number.");
        }

        return value;
    }

    public static double ParseDouble(in ReadOnlySequence<byte> line)
    {
        Span<byte> scratch = stackalloc byte[64];
        var span = Flatten(line, scratch, "double");
        if (span.SequenceEqual("inf"u8))
        {
            return double.PositiveInfinity;
        }

        if (span.SequenceEqual("-inf"u8))
        {
            return double.NegativeInfinity;
        }

        if (span.SequenceEqual("nan"u8))
        {
            return double.NaN;
        }

        if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new RedisProtocolException("RESP double is not a number.");
        }

        return value;
    }

    public static bool ParseBoolean(in ReadOnlySequence<byte> line)
    {
        if (line.Length == 1)
        {
            switch (line.FirstSpan[0])
            {
                case (byte)'t':
                    return true;
                case (byte)'f':
                    return false;
            }
        }

        throw new RedisProtocolException("RESP boolean is neither t nor f.");
    }

    private static void ValidateBigNumber(in ReadOnlySequence<byte> line)
    {
        var first = true;
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (!(b is >= (byte)'0' and <= (byte)'9' || (first && b is (byte)'-' or (byte)'+')))
                {
                    throw new RedisProtocolException("RESP big number has a non-digit.");
                }

                first = false;
            }
        }

        if (first)
        {
            throw new RedisProtocolException("RESP big number is empty.");
        }
    }

    private static long ParseLength(in ReadOnlySequence<byte> line, bool allowNull, long max)
    {
        var length = ParseInteger(line);
        if (length == -1 && allowNull)
        {
            return -1;
        }

        if (length < 0 || length > max)
        {
            throw new RedisProtocolException($"RESP length {length} is outside 0..{max}.");
        }

        return length;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, RespLimits limits, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, Crlf, advancePastDelimiter: true))
        {
            if (line.Length > limits.MaxLineLength)
            {
                throw new RedisProtocolException($"RESP line longer than {limits.MaxLineLength} bytes.");
            }

            return true;
        }

        if (reader.Remaining > limits.MaxLineLength + 1)
        {
            throw new RedisProtocolException($"RESP line longer than {limits.MaxLineLength} bytes.");
        }

        return false;
    }

    private static ReadOnlySpan<byte> Flatten(in ReadOnlySequence<byte> line, Span<byte> scratch, string what)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        if (line.Length > scratch.Length)
        {
            throw new RedisProtocolException($"RESP {what} is too long.");
        }

        line.CopyTo(scratch);
        return scratch[..(int)line.Length];
    }
}
