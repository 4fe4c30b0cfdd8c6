using System.Buffers;

namespace Observability.Dashboard.Otlp;

/// <summary>An export body read into a pooled buffer; return it with <see cref="Dispose"/>.</summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    public RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
