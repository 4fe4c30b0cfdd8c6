using Observability.Redis.Protocol;

namespace Observability.Redis;

/// <summary>Hash commands: HSET, HGET, HGETALL, HDEL.</summary>
public static class RedisHashCommands
{
    private static readonly IReplyParser<Dictionary<string, byte[]>> Pairs = ReplyParsers.Map(reply =>
        reply.AsPairs().ToDictionary(pair => pair.Key.AsString() ?? "", pair => pair.Value.Bytes?.ToArray() ?? [], StringComparer.Ordinal));

    /// <summary>HSET of several fields: how many fields were new.</summary>
    public static ValueTask<long> HSetAsync(this RedisClient client, RedisValue key, ReadOnlySpan<KeyValuePair<RedisValue, RedisValue>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (fields.IsEmpty)
        {
            throw new ArgumentException("HSET needs at least one field.", nameof(fields));
        }

        var command = new CommandBuilder("HSET", 1 + (fields.Length * 2));
        command.Add(key);
        foreach (var field in fields)
        {
            command.Add(field.Key);
            command.Add(field.Value);
        }

        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>HSET of one field: true when the field was new.</summary>
    public static async ValueTask<bool> HSetAsync(this RedisClient client, RedisValue key, RedisValue field, RedisValue value, CancellationToken cancellationToken = default) =>
        await client.HSetAsync(key, [new(field, value)], cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>HGET: the field's bytes or null.</summary>
    public static ValueTask<byte[]?> HGetAsync(this RedisClient client, RedisValue key, RedisValue field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("HGET", 2);
        command.Add(key);
        command.Add(field);
        return client.SendAsync(ref command, ReplyParsers.Bytes, cancellationToken);
    }

    /// <summary>HGET decoded as UTF-8.</summary>
    public static ValueTask<string?> HGetStringAsync(this RedisClient client, RedisValue key, RedisValue field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("HGET", 2);
        command.Add(key);
        command.Add(field);
        return client.SendAsync(ref command, ReplyParsers.Text, cancellationToken);
    }

    /// <summary>HGETALL: every field and value (an empty dictionary for a missing key).</summary>
    public static ValueTask<Dictionary<string, byte[]>> HGetAllAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("HGETALL", 1);
        command.Add(key);
        return client.SendAsync(ref command, Pairs, cancellationToken);
    }

    /// <summary>HDEL: how many of the fields existed.</summary>
    public static ValueTask<long> HDelAsync(this RedisClient client, RedisValue key, ReadOnlySpan<RedisValue> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (fields.IsEmpty)
        {
            throw new ArgumentException("HDEL needs at least one field.", nameof(fields));
        }

        var command = new CommandBuilder("HDEL", 1 + fields.Length);
        command.Add(key);
        foreach (var field in fields)
        {
            command.Add(field);
        }

        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }
}
