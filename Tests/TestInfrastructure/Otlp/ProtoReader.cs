using System.Buffers.Binary;
using System.Text;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// A minimal protobuf wire-format reader: tags, varints, fixed32/64 and length-delimited fields, enough to decode
/// OTLP messages without generated code. Unknown fields are skipped by the caller through <see cref="Skip"/>.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Reads the next field tag; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtoWireType wireType)
    {
        if (_position >= _buffer.Length)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        fieldNumber = checked((int)(tag >> 3));
        wireType = (ProtoWireType)(tag & 0x7);
        if (fieldNumber == 0)
        {
            throw new InvalidDataException($"Invalid protobuf field number 0 at offset {_position}.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw new InvalidDataException("Truncated protobuf varint.");
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("Protobuf varint longer than 10 bytes.");
    }

    public ulong ReadFixed64()
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return value;
    }

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw new InvalidDataException($"Protobuf length {length} runs past the end of the message.");
        }

        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadLengthDelimited());

    /// <summary>Reads bytes (trace and span IDs) as lowercase hex; empty when absent.</summary>
    public string ReadHex() => Convert.ToHexStringLower(ReadLengthDelimited());

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(ProtoWireType wireType)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint:
                ReadVarint();
                break;
            case ProtoWireType.Fixed64:
                Take(8);
                break;
            case ProtoWireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case ProtoWireType.Fixed32:
                Take(4);
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
        }
    }

    /// <summary>Reads a repeated fixed64 field, packed (length-delimited) or one element at a time.</summary>
    public void ReadRepeatedFixed64(ProtoWireType wireType, List<ulong> into)
    {
        if (wireType == ProtoWireType.Fixed64)
        {
            into.Add(ReadFixed64());
            return;
        }

        var packed = new ProtoReader(ReadLengthDelimited());
        while (packed._position < packed._buffer.Length)
        {
            into.Add(packed.ReadFixed64());
        }
    }

    /// <summary>Reads a repeated double field, packed (length-delimited) or one element at a time.</summary>
    public void ReadRepeatedDouble(ProtoWireType wireType, List<double> into)
    {
        if (wireType == ProtoWireType.Fixed64)
        {
            into.Add(ReadDouble());
            return;
        }

        var packed = new ProtoReader(ReadLengthDelimited());
        while (packed._position < packed._buffer.Length)
        {
            into.Add(packed.ReadDouble());
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new InvalidDataException("Truncated protobuf message.");
        }

        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }
}
