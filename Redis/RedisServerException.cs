namespace Observability.Redis;

/// <summary>Redis answered a command with an error reply (such as <c>WRONGTYPE ...</c> or <c>NOSCRIPT ...</c>).</summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException()
    {
    }

    public RedisServerException(string message)
        : base(message)
    {
    }

    public RedisServerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error's first word, such as <c>ERR</c>, <c>WRONGTYPE</c> or <c>NOSCRIPT</c>.</summary>
    public string ErrorCode
    {
        get
        {
            var space = Message.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? Message : Message[..space];
        }
    }
}
