using System.Buffers;
using System.Globalization;
using System.Text;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// A growable UTF-8 byte buffer rented from <see cref="ArrayPool{T}.Shared"/> and reused across scrapes, so
/// rendering a scrape allocates nothing but the final copy handed to responses.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledByteBuffer(int initialCapacity = 16 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without escaping.</summary>
    public void Write(string text)
    {
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, span);
    }

    public void Write(long value)
    {
        var span = GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Writes a float as Prometheus expects it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public void Write(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            Write("+Inf"u8);
        }
        else if (double.IsNegativeInfinity(value))
        {
            Write("-Inf"u8);
        }
        else if (double.IsNaN(value))
        {
            Write("NaN"u8);
        }
        else
        {
            var span = GetSpan(32);
            value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
            _length += written;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as UTF-8, escaping backslash and line feed, and double quotes when
    /// <paramref name="escapeQuotes"/> is set (label values, OpenMetrics help text).
    /// </summary>
    public void WriteEscaped(string text, bool escapeQuotes)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ReadOnlySpan<byte> escape = c switch
            {
                '\\' => "\\\\"u8,
                '\n' => "\\n"u8,
                '"' when escapeQuotes => "\\\""u8,
                _ => default,
            };
            if (!escape.IsEmpty)
            {
                Write(text.AsSpan(start, i - start));
                Write(escape);
                start = i + 1;
            }
        }

        Write(text.AsSpan(start));
    }

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Write(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            var span = GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            _length += Encoding.UTF8.GetBytes(text, span);
        }
    }

    private Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + sizeHint));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        return _buffer.AsSpan(_length);
    }
}
