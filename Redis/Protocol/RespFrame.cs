using System.Buffers;

namespace Observability.Redis.Protocol;

/// <summary>
/// One complete RESP value as it lies in the receive buffer: valid only until the reader advances. Scalars are read
/// straight from it without copying; aggregates are walked with <see cref="RedisReply.Parse"/>.
/// </summary>
internal readonly struct RespFrame
{
    public RespFrame(ReadOnlySequence<byte> data, byte prefix, long header, ReadOnlySequence<byte> payload)
    {
        Data = data;
        Prefix = prefix;
        Header = header;
        Payload = payload;
    }

    /// <summary>The whole frame, prefix to final CRLF (attributes in front of it included).</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>The type byte of the value (<c>+ - : $ * _ , # ( ! = % ~ &gt;</c>).</summary>
    public byte Prefix { get; }

    /// <summary>The integer value (<c>:</c>), the length of a bulk or aggregate value, or -1 for a RESP2 null.</summary>
    public long Header { get; }

    /// <summary>The bytes of a line or bulk value (empty for aggregates).</summary>
    public ReadOnlySequence<byte> Payload { get; }

    public bool IsNull => Prefix == RespPrefix.Null || (Header < 0 && Prefix is RespPrefix.BulkString or RespPrefix.Array);

    public bool IsError => Prefix is RespPrefix.Error or RespPrefix.BulkError;

    public bool IsAggregate => Prefix is RespPrefix.Array or RespPrefix.Set or RespPrefix.Map or RespPrefix.Push;
}
