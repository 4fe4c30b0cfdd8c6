using System.Buffers;
using System.Text;

namespace Observability.Dashboard.Otlp;

/// <summary>Writes the few protobuf messages the receiver answers with (export responses, <c>google.rpc.Status</c>).</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public ProtoWriter Varint(int field, ulong value)
    {
        WriteRaw(((ulong)field << 3) | (ulong)WireType.Varint);
        WriteRaw(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        WriteRaw(((ulong)field << 3) | (ulong)WireType.LengthDelimited);
        WriteRaw((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    private void WriteRaw(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
