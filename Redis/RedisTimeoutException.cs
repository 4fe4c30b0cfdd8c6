namespace Observability.Redis;

/// <summary>A command got no reply within its timeout (<c>asyncTimeout</c>/<c>syncTimeout</c>).</summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException()
    {
    }

    public RedisTimeoutException(string message)
        : base(message)
    {
    }

    public RedisTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
