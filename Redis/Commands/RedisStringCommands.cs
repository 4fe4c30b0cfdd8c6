using Observability.Redis.Protocol;

namespace Observability.Redis;

/// <summary>String and key commands: GET, SET, MGET, INCR, INCRBY, DEL, EXPIRE, TTL.</summary>
public static class RedisStringCommands
{
    private static readonly IReplyParser<byte[]?[]> BytesArray = ReplyParsers.Map(reply =>
        reply.Elements.Select(e => e.IsNull ? null : e.Bytes?.ToArray()).ToArray());

    /// <summary>GET: the value's bytes, or null when the key does not exist.</summary>
    public static ValueTask<byte[]?> GetAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("GET", 1);
        command.Add(key);
        return client.SendAsync(ref command, ReplyParsers.Bytes, cancellationToken);
    }

    /// <summary>GET decoded as UTF-8.</summary>
    public static ValueTask<string?> GetStringAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("GET", 1);
        command.Add(key);
        return client.SendAsync(ref command, ReplyParsers.Text, cancellationToken);
    }

    /// <summary>
    /// SET with an optional expiry (<c>EX</c> for whole seconds, otherwise <c>PX</c>) and condition (<c>NX</c>/<c>XX</c>).
    /// True when the value was written.
    /// </summary>
    public static ValueTask<bool> SetAsync(
        this RedisClient client,
        RedisValue key,
        RedisValue value,
        TimeSpan? expiry = null,
        RedisSetCondition condition = RedisSetCondition.Always,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (expiry is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiry), "The expiry must be positive.");
        }

        var count = 2 + (expiry is null ? 0 : 2) + (condition == RedisSetCondition.Always ? 0 : 1);
        var command = new CommandBuilder("SET", count);
        command.Add(key);
        command.Add(value);
        if (expiry is { } time)
        {
            if (time.Ticks % TimeSpan.TicksPerSecond == 0)
            {
                command.Add("EX"u8);
                command.Add((long)time.TotalSeconds);
            }
            else
            {
                command.Add("PX"u8);
                command.Add(Math.Max(1, (long)time.TotalMilliseconds));
            }
        }

        if (condition != RedisSetCondition.Always)
        {
            command.Add(condition == RedisSetCondition.IfNotExists ? "NX"u8 : "XX"u8);
        }

        return client.SendAsync(ref command, ReplyParsers.Ok, cancellationToken);
    }

    /// <summary>MGET: one entry per key, null where a key does not exist.</summary>
    public static ValueTask<byte[]?[]> MGetAsync(this RedisClient client, ReadOnlySpan<RedisValue> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (keys.IsEmpty)
        {
            throw new ArgumentException("MGET needs at least one key.", nameof(keys));
        }

        var command = new CommandBuilder("MGET", keys.Length);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        return client.SendAsync(ref command, BytesArray, cancellationToken);
    }

    /// <summary>INCR: the value after adding one.</summary>
    public static ValueTask<long> IncrAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("INCR", 1);
        command.Add(key);
        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>INCRBY: the value after adding <paramref name="increment"/>.</summary>
    public static ValueTask<long> IncrByAsync(this RedisClient client, RedisValue key, long increment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("INCRBY", 2);
        command.Add(key);
        command.Add(increment);
        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>DEL: how many of the keys existed and were removed.</summary>
    public static ValueTask<long> DelAsync(this RedisClient client, ReadOnlySpan<RedisValue> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (keys.IsEmpty)
        {
            throw new ArgumentException("DEL needs at least one key.", nameof(keys));
        }

        var command = new CommandBuilder("DEL", keys.Length);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>DEL of one key: true when it existed.</summary>
    public static async ValueTask<bool> DelAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default) =>
        await client.DelAsync([key], cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>EXPIRE (in whole seconds, at least one): true when the key exists and got the expiry.</summary>
    public static ValueTask<bool> ExpireAsync(this RedisClient client, RedisValue key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("EXPIRE", 2);
        command.Add(key);
        command.Add(Math.Max(1, (long)Math.Ceiling(expiry.TotalSeconds)));
        return client.SendAsync(ref command, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>TTL in seconds, as Redis answers it: -2 when the key does not exist, -1 when it has no expiry.</summary>
    public static ValueTask<long> TtlAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("TTL", 1);
        command.Add(key);
        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }
}
