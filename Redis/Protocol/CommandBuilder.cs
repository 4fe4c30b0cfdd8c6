using System.Buffers;
using System.Globalization;
using System.Text;

namespace Observability.Redis.Protocol;

/// <summary>
/// Encodes one command as a RESP array of bulk strings into a pooled buffer. The connection copies the bytes into
/// its send pipe and <see cref="RedisClient"/> returns the buffer; nothing is allocated per command.
/// </summary>
internal ref struct CommandBuilder
{
    private byte[] _buffer;
    private int _written;
    private int _remaining;

    /// <summary>Starts a command of <paramref name="argumentCount"/> arguments after its name.</summary>
    public CommandBuilder(string name, int argumentCount)
    {
        Name = name;
        _buffer = ArrayPool<byte>.Shared.Rent(256);
        _remaining = argumentCount + 1;
        WriteHeader((byte)'*', argumentCount + 1);
        AddText(name);
    }

    /// <summary>The command's name as spans and metrics show it (<c>GET</c>, <c>XGROUP</c>).</summary>
    public string Name { get; }

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public readonly bool IsComplete => _remaining == 0;

    public void Add(scoped in RedisValue value)
    {
        var length = value.ByteCount;
        BeginBulk(length);
        _written += value.CopyTo(_buffer.AsSpan(_written));
        EndBulk();
    }

    public void Add(scoped ReadOnlySpan<byte> value)
    {
        BeginBulk(value.Length);
        value.CopyTo(_buffer.AsSpan(_written));
        _written += value.Length;
        EndBulk();
    }

    public void Add(long value)
    {
        BeginBulk(RedisValue.FormattedLength(value));
        value.TryFormat(_buffer.AsSpan(_written), out var written, default, CultureInfo.InvariantCulture);
        _written += written;
        EndBulk();
    }

    public void Add(double value)
    {
        Span<byte> scratch = stackalloc byte[32];
        if (double.IsPositiveInfinity(value))
        {
            Add("+inf"u8);
            return;
        }

        if (double.IsNegativeInfinity(value))
        {
            Add("-inf"u8);
            return;
        }

        value.TryFormat(scratch, out var written, "R", CultureInfo.InvariantCulture);
        Add(scratch[..written]);
    }

    public void AddText(string value)
    {
        BeginBulk(Encoding.UTF8.GetByteCount(value));
        _written += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_written));
        EndBulk();
    }

    /// <summary>Gives the pooled buffer back; the builder must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void BeginBulk(int length)
    {
        if (--_remaining < 0)
        {
            throw new InvalidOperationException($"{Name}: more arguments than announced.");
        }

        WriteHeader((byte)'$', length);
        Ensure(length + 2);
    }

    private void EndBulk()
    {
        _buffer[_written++] = (byte)'\r';
        _buffer[_written++] = (byte)'\n';
    }

    private void WriteHeader(byte prefix, int length)
    {
        Ensure(16);
        _buffer[_written++] = prefix;
        length.TryFormat(_buffer.AsSpan(_written), out var written, default, CultureInfo.InvariantCulture);
        _written += written;
        EndBulk();
    }

    private void Ensure(int size)
    {
        if (_buffer.Length - _written >= size)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + size));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
