namespace Observability.Redis;

/// <summary>The RESP2/RESP3 type of a <see cref="RedisReply"/>.</summary>
#pragma warning disable CA1720 // The members are the protocol's own type names.
public enum RedisReplyType
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Double,
    Boolean,
    BigNumber,
    VerbatimString,
    Map,
    Set,
    Push,
}
#pragma warning restore CA1720
