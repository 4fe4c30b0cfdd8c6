namespace Observability.Redis;

/// <summary>The server sent bytes that are not valid RESP, or exceed the client's limits (length, nesting depth).</summary>
public sealed class RedisProtocolException : RedisException
{
    public RedisProtocolException()
    {
    }

    public RedisProtocolException(string message)
        : base(message)
    {
    }

    public RedisProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
