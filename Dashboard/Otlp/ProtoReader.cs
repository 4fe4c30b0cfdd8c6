using System.Buffers.Binary;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Reads protocol buffers wire format from a span without allocating. Every read checks bounds and throws
/// <see cref="OtlpDecodeException"/> on truncated or malformed input.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue)
        {
            throw new OtlpDecodeException("Invalid protobuf field number.");
        }

        return wireType switch
        {
            WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32 => true,
            _ => throw new OtlpDecodeException($"Unsupported protobuf wire type {(int)wireType}."),
        };
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new OtlpDecodeException("Truncated protobuf varint.");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new OtlpDecodeException("Malformed protobuf varint.");
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _position < 8)
        {
            throw new OtlpDecodeException("Truncated protobuf fixed64.");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _position < 4)
        {
            throw new OtlpDecodeException("Truncated protobuf fixed32.");
        }

        var value = BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public long ReadSInt32() => (long)(int)Zag((uint)ReadVarint());

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new OtlpDecodeException("Truncated protobuf length-delimited field.");
        }

        var bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>Skips a field this decoder does not use (unknown fields are ignored, as protobuf requires).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                ReadFixed64();
                break;
            case WireType.Fixed32:
                ReadFixed32();
                break;
            default:
                ReadBytes();
                break;
        }
    }

    private static int Zag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);
}
