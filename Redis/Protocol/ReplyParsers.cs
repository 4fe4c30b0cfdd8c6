using System.Buffers;
using System.Text;

namespace Observability.Redis.Protocol;

/// <summary>The shared, stateless parsers of the typed commands.</summary>
internal static class ReplyParsers
{
    public static IReplyParser<RedisReply> Reply { get; } = new ReplyParser();

    public static IReplyParser<byte[]?> Bytes { get; } = new BytesParser();

    public static IReplyParser<string?> Text { get; } = new TextParser();

    public static IReplyParser<long> Integer { get; } = new IntegerParser();

    public static IReplyParser<bool> Ok { get; } = new OkParser();

    public static IReplyParser<bool> Boolean { get; } = new BooleanParser();

    /// <summary>Builds the reply tree, then maps it (aggregate replies, where the tree is the result anyway).</summary>
    public static IReplyParser<T> Map<T>(Func<RedisReply, T> map) => new MappedParser<T>(map);

    private static InvalidCastException Unexpected(in RespFrame frame, string wanted) =>
        new($"Expected {wanted} but Redis replied with type '{(char)frame.Prefix}'.");

    private sealed class ReplyParser : IReplyParser<RedisReply>
    {
        public RedisReply Parse(in RespFrame frame, RespLimits limits) => RedisReply.Parse(frame, limits);
    }

    private sealed class BytesParser : IReplyParser<byte[]?>
    {
        public byte[]? Parse(in RespFrame frame, RespLimits limits) => frame.Prefix switch
        {
            _ when frame.IsNull => null,
            RespPrefix.BulkString or RespPrefix.SimpleString or RespPrefix.VerbatimString => frame.Payload.ToArray(),
            RespPrefix.Integer => Encoding.ASCII.GetBytes(frame.Header.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RespPrefix.Double or RespPrefix.BigNumber => frame.Payload.ToArray(),
            _ => throw Unexpected(frame, "a string"),
        };
    }

    private sealed class TextParser : IReplyParser<string?>
    {
        public string? Parse(in RespFrame frame, RespLimits limits) => frame.Prefix switch
        {
            _ when frame.IsNull => null,
            RespPrefix.BulkString or RespPrefix.SimpleString or RespPrefix.Double or RespPrefix.BigNumber => Encoding.UTF8.GetString(frame.Payload),
            RespPrefix.VerbatimString => Encoding.UTF8.GetString(frame.Payload.Length >= 4 ? frame.Payload.Slice(4) : frame.Payload),
            RespPrefix.Integer => frame.Header.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw Unexpected(frame, "a string"),
        };
    }

    private sealed class IntegerParser : IReplyParser<long>
    {
        public long Parse(in RespFrame frame, RespLimits limits) => frame.Prefix switch
        {
            RespPrefix.Integer or RespPrefix.Boolean => frame.Header,
            RespPrefix.BulkString or RespPrefix.SimpleString when !frame.IsNull => RespScanner.ParseInteger(frame.Payload),
            _ => throw Unexpected(frame, "an integer"),
        };
    }

    /// <summary><c>+OK</c> is true; a null reply (SET ... NX/XX not applied) is false.</summary>
    private sealed class OkParser : IReplyParser<bool>
    {
        public bool Parse(in RespFrame frame, RespLimits limits) => frame.Prefix switch
        {
            _ when frame.IsNull => false,
            RespPrefix.SimpleString or RespPrefix.BulkString => true,
            _ => throw Unexpected(frame, "OK"),
        };
    }

    /// <summary><c>:1</c>/<c>#t</c> are true, <c>:0</c>/<c>#f</c> false.</summary>
    private sealed class BooleanParser : IReplyParser<bool>
    {
        public bool Parse(in RespFrame frame, RespLimits limits) => frame.Prefix switch
        {
            RespPrefix.Integer or RespPrefix.Boolean => frame.Header != 0,
            _ => throw Unexpected(frame, "a boolean"),
        };
    }

    private sealed class MappedParser<T>(Func<RedisReply, T> map) : IReplyParser<T>
    {
        public T Parse(in RespFrame frame, RespLimits limits) => map(RedisReply.Parse(frame, limits));
    }
}
