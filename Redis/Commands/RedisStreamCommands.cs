using Observability.Redis.Protocol;
using Observability.Redis.Streams;

namespace Observability.Redis;

/// <summary>
/// Stream commands: XADD, XREADGROUP, XACK, XGROUP CREATE, XAUTOCLAIM, XPENDING, XLEN, XRANGE, XREVRANGE, XINFO GROUPS.
/// XREADGROUP with BLOCK runs on a connection of its own.
/// </summary>
public static class RedisStreamCommands
{
    private static readonly IReplyParser<IReadOnlyList<RedisStreamEntry>> Entries = ReplyParsers.Map(RedisStreamEntry.ListFromReply);

    private static readonly IReplyParser<IReadOnlyList<RedisStreamEntry>> ReadGroupEntries = ReplyParsers.Map(reply =>
    {
        if (reply.IsNull || reply.Elements.Count == 0)
        {
            return (IReadOnlyList<RedisStreamEntry>)[];
        }

        // RESP2: [[stream, entries]]; RESP3: {stream: entries}.
        var entries = reply.Type == RedisReplyType.Map ? reply.Elements[1] : reply.Elements[0].Elements[1];
        return RedisStreamEntry.ListFromReply(entries);
    });

    private static readonly IReplyParser<RedisAutoClaimResult> AutoClaim = ReplyParsers.Map(reply => new RedisAutoClaimResult(
        reply.Elements[0].AsString() ?? "0-0",
        reply.Elements[1].Elements.Where(e => !e.IsNull).Select(RedisStreamEntry.FromReply).ToArray(),
        reply.Elements.Count > 2 ? reply.Elements[2].Elements.Select(e => e.AsString() ?? "").ToArray() : []));

    private static readonly IReplyParser<RedisPendingSummary> PendingSummary = ReplyParsers.Map(reply => new RedisPendingSummary(
        reply.Elements[0].AsInt64(),
        reply.Elements[1].AsString(),
        reply.Elements[2].AsString(),
        reply.Elements[3].Elements.ToDictionary(c => c.Elements[0].AsString() ?? "", c => c.Elements[1].AsInt64(), StringComparer.Ordinal)));

    private static readonly IReplyParser<IReadOnlyList<RedisPendingEntry>> PendingRange = ReplyParsers.Map(reply =>
        (IReadOnlyList<RedisPendingEntry>)reply.Elements.Select(e => new RedisPendingEntry(
            e.Elements[0].AsString() ?? "",
            e.Elements[1].AsString() ?? "",
            TimeSpan.FromMilliseconds(e.Elements[2].AsInt64()),
            e.Elements[3].AsInt64())).ToArray());

    private static readonly IReplyParser<IReadOnlyList<RedisStreamGroupInfo>> GroupInfos = ReplyParsers.Map(reply =>
        (IReadOnlyList<RedisStreamGroupInfo>)reply.Elements.Select(group =>
        {
            var fields = group.AsPairs().ToDictionary(p => p.Key.AsString() ?? "", p => p.Value, StringComparer.Ordinal);
            return new RedisStreamGroupInfo(
                fields["name"].AsString() ?? "",
                fields["consumers"].AsInt64(),
                fields["pending"].AsInt64(),
                fields.TryGetValue("last-delivered-id", out var last) ? last.AsString() : null,
                fields.TryGetValue("lag", out var lag) && !lag.IsNull ? lag.AsInt64() : null);
        }).ToArray());

    /// <summary>XADD key [MAXLEN ~ n] * field value ...: the new entry's id.</summary>
    public static ValueTask<string?> XAddAsync(this RedisClient client, RedisValue key, ReadOnlySpan<RedisStreamField> fields, long? maxLength = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (fields.IsEmpty)
        {
            throw new ArgumentException("XADD needs at least one field.", nameof(fields));
        }

        var command = new CommandBuilder("XADD", 2 + (maxLength is null ? 0 : 3) + (fields.Length * 2));
        command.Add(key);
        if (maxLength is { } max)
        {
            command.Add("MAXLEN"u8);
            command.Add("~"u8);
            command.Add(max);
        }

        command.Add("*"u8);
        foreach (var field in fields)
        {
            command.Add(field.Name);
            command.Add(field.Value);
        }

        return client.SendAsync(ref command, ReplyParsers.Text, cancellationToken);
    }

    /// <summary>
    /// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] STREAMS key id (<c>&gt;</c> for new entries). With
    /// <paramref name="block"/> the command waits on its own connection; an empty list means nothing arrived.
    /// </summary>
    public static ValueTask<IReadOnlyList<RedisStreamEntry>> XReadGroupAsync(
        this RedisClient client,
        RedisValue key,
        string group,
        string consumer,
        int? count = null,
        TimeSpan? block = null,
        string id = ">",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XREADGROUP", 3 + (count is null ? 0 : 2) + (block is null ? 0 : 2) + 3);
        command.Add("GROUP"u8);
        command.AddText(group);
        command.AddText(consumer);
        if (count is { } n)
        {
            command.Add("COUNT"u8);
            command.Add(n);
        }

        if (block is { } wait)
        {
            command.Add("BLOCK"u8);
            command.Add((long)wait.TotalMilliseconds);
        }

        command.Add("STREAMS"u8);
        command.Add(key);
        command.AddText(id);
        return block is { } blockFor
            ? client.SendBlockingAsync(ref command, ReadGroupEntries, blockFor, cancellationToken)
            : client.SendAsync(ref command, ReadGroupEntries, cancellationToken);
    }

    /// <summary>XACK: how many of the ids were pending and are now acknowledged.</summary>
    public static ValueTask<long> XAckAsync(this RedisClient client, RedisValue key, string group, ReadOnlySpan<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XACK", 2 + ids.Length);
        command.Add(key);
        command.AddText(group);
        foreach (var id in ids)
        {
            command.AddText(id);
        }

        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>XGROUP CREATE key group startId MKSTREAM: true when created, false when the group already existed.</summary>
    public static async ValueTask<bool> XGroupCreateAsync(this RedisClient client, RedisValue key, string group, string startId = "$", CancellationToken cancellationToken = default)
    {
        try
        {
            await SendGroupCreate(client, key, group, startId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RedisServerException e) when (e.ErrorCode == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>XAUTOCLAIM key group consumer min-idle start [COUNT n].</summary>
    public static ValueTask<RedisAutoClaimResult> XAutoClaimAsync(
        this RedisClient client,
        RedisValue key,
        string group,
        string consumer,
        TimeSpan minIdle,
        string startId = "0-0",
        int? count = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XAUTOCLAIM", 5 + (count is null ? 0 : 2));
        command.Add(key);
        command.AddText(group);
        command.AddText(consumer);
        command.Add((long)minIdle.TotalMilliseconds);
        command.AddText(startId);
        if (count is { } n)
        {
            command.Add("COUNT"u8);
            command.Add(n);
        }

        return client.SendAsync(ref command, AutoClaim, cancellationToken);
    }

    /// <summary>XPENDING key group (summary form).</summary>
    public static ValueTask<RedisPendingSummary> XPendingAsync(this RedisClient client, RedisValue key, string group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XPENDING", 2);
        command.Add(key);
        command.AddText(group);
        return client.SendAsync(ref command, PendingSummary, cancellationToken);
    }

    /// <summary>XPENDING key group [IDLE ms] start end count [consumer] (extended form).</summary>
    public static ValueTask<IReadOnlyList<RedisPendingEntry>> XPendingRangeAsync(
        this RedisClient client,
        RedisValue key,
        string group,
        int count,
        string start = "-",
        string end = "+",
        string? consumer = null,
        TimeSpan? minIdle = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XPENDING", 5 + (minIdle is null ? 0 : 2) + (consumer is null ? 0 : 1));
        command.Add(key);
        command.AddText(group);
        if (minIdle is { } idle)
        {
            command.Add("IDLE"u8);
            command.Add((long)idle.TotalMilliseconds);
        }

        command.AddText(start);
        command.AddText(end);
        command.Add(count);
        if (consumer is not null)
        {
            command.AddText(consumer);
        }

        return client.SendAsync(ref command, PendingRange, cancellationToken);
    }

    /// <summary>XLEN: the number of entries.</summary>
    public static ValueTask<long> XLenAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XLEN", 1);
        command.Add(key);
        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>XRANGE key start end [COUNT n], oldest first.</summary>
    public static ValueTask<IReadOnlyList<RedisStreamEntry>> XRangeAsync(this RedisClient client, RedisValue key, string start = "-", string end = "+", int? count = null, CancellationToken cancellationToken = default) =>
        Range(client, "XRANGE", key, start, end, count, cancellationToken);

    /// <summary>XREVRANGE key end start [COUNT n], newest first.</summary>
    public static ValueTask<IReadOnlyList<RedisStreamEntry>> XRevRangeAsync(this RedisClient client, RedisValue key, string end = "+", string start = "-", int? count = null, CancellationToken cancellationToken = default) =>
        Range(client, "XREVRANGE", key, end, start, count, cancellationToken);

    /// <summary>XINFO GROUPS key.</summary>
    public static ValueTask<IReadOnlyList<RedisStreamGroupInfo>> XInfoGroupsAsync(this RedisClient client, RedisValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XINFO", 2);
        command.Add("GROUPS"u8);
        command.Add(key);
        return client.SendAsync(ref command, GroupInfos, cancellationToken);
    }

    private static ValueTask<bool> SendGroupCreate(RedisClient client, RedisValue key, string group, string startId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("XGROUP", 5);
        command.Add("CREATE"u8);
        command.Add(key);
        command.AddText(group);
        command.AddText(startId);
        command.Add("MKSTREAM"u8);
        return client.SendAsync(ref command, ReplyParsers.Ok, cancellationToken);
    }

    private static ValueTask<IReadOnlyList<RedisStreamEntry>> Range(RedisClient client, string name, RedisValue key, string first, string second, int? count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder(name, 3 + (count is null ? 0 : 2));
        command.Add(key);
        command.AddText(first);
        command.AddText(second);
        if (count is { } n)
        {
            command.Add("COUNT"u8);
            command.Add(n);
        }

        return client.SendAsync(ref command, Entries, cancellationToken);
    }
}
