namespace Observability.Redis.Configuration;

/// <summary>The wire protocol the client asks for in its handshake.</summary>
public enum RedisProtocolVersion
{
    /// <summary>RESP2: works with every Redis; no handshake beyond AUTH.</summary>
    Resp2 = 2,

    /// <summary>RESP3 via <c>HELLO 3</c>: maps, sets, doubles, booleans and push messages.</summary>
    Resp3 = 3,
}
