using System.Text.Json;
using Microsoft.Extensions.Options;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Sends a subscription's missed events from its bounded stream: a <c>truncated</c> frame first when entries after
/// the last event id were already removed, then every entry after it (XRANGE with an exclusive start, page by page)
/// as <c>event</c> frames; then lets the subscription's buffered live events through.
/// </summary>
internal sealed class StreamReplayer(IConnectionMultiplexer redis, IOptions<WebSocketHubOptions> options)
{
    // Returns {} when the stream does not exist, else { XINFO STREAM, first page from @start }: read together, so
    // that no trimming between them can hide a gap.
    private static readonly LuaScript FirstPageScript = LuaScript.Prepare("""
        local ok, info = pcall(redis.call, 'XINFO', 'STREAM', @stream)
        if not ok then
          return {}
        end
        return { info, redis.call('XRANGE', @stream, @start, '+', 'COUNT', @count) }
        """);

    private readonly int _pageSize = options.Value.ReplayPageSize;

    /// <summary>
    /// Replays from <see cref="Subscription.ReplayFrom"/> until the subscription goes live (again when a re-sync was
    /// asked meanwhile); with <paramref name="sendSubscribed"/>, a <c>subscribed</c> frame counting the replayed
    /// events precedes the live ones. False when the subscription or its connection ended meanwhile.
    /// </summary>
    public async Task<bool> CatchUpAsync(Subscription subscription, bool sendSubscribed, CancellationToken cancellationToken)
    {
        var key = subscription.Key;
        var replayed = 0;
        while (true)
        {
            if (await ReplayAsync(subscription, cancellationToken).ConfigureAwait(false) is not { } sent)
            {
                return false;
            }

            replayed += sent;
            ReadOnlyMemory<byte>? subscribed = null;
            if (sendSubscribed)
            {
                subscribed = JsonSerializer.SerializeToUtf8Bytes(new SubscribedFrame(key.RunId, key.SessionId, replayed), HubJsonContext.Default.SubscribedFrame);
            }

            if (subscription.TryGoLive(subscribed))
            {
                return !subscription.IsClosed;
            }
        }
    }

    /// <summary>
    /// Whether entries after <paramref name="lastSeen"/> were removed, from the stream's <c>XINFO STREAM</c> (Redis
    /// 7.0+): an entry after it was deleted by id (<c>max-deleted-entry-id</c>, which XDEL raises and trimming does
    /// not), or it is older than the first entry left (trimmed, or the stream was lost with Redis's data and created
    /// again by later events), or entries were removed (<c>entries-added</c> &gt; <c>length</c>) and none is left. Nothing is missing when it is at or after <c>last-generated-id</c>. Returns the first
    /// entry id left (empty when none), or null when nothing after it is missing.
    /// </summary>
    /// <remarks>
    /// Trimming only removes the oldest entries, so when <paramref name="lastSeen"/> is at or after the first entry
    /// left the answer is exact. When it is older, Redis keeps no trimmed ids: a client whose last event was itself
    /// the last entry trimmed is told too (a false alarm rather than a silent gap).
    /// </remarks>
    internal static string? FindTruncation(RedisResult info, StreamId lastSeen)
    {
        long length = 0;
        long added = 0;
        var maxDeleted = StreamId.Zero;
        StreamId? lastGenerated = null;
        string? firstEntry = null;
        foreach (var (name, value) in Pairs(info))
        {
            switch (name)
            {
                case "length":
                    length = (long)value;
                    break;
                case "entries-added":
                    added = (long)value;
                    break;
                case "max-deleted-entry-id" when StreamId.TryParse((string?)value, out var id):
                    maxDeleted = id;
                    break;
                case "last-generated-id" when StreamId.TryParse((string?)value, out var id):
                    lastGenerated = id;
                    break;
                case "first-entry" when !value.IsNull && value.Length > 0:
                    firstEntry = (string?)value[0];
                    break;
                default:
                    break;
            }
        }

        if (lastSeen >= lastGenerated)
        {
            // Nothing was ever added after it.
            return null;
        }

        var deletedAfter = lastSeen < maxDeleted;
        // With entries left, an id older than the first one is itself gone, and so is whatever followed it: trimmed, or
        // the stream was lost with Redis's data and created again by later events (then nothing was ever trimmed).
        var trimmedPast = firstEntry is null ? added > length : StreamId.TryParse(firstEntry, out var first) && lastSeen < first;
        return deletedAfter || trimmedPast ? firstEntry ?? string.Empty : null;
    }

    /// <summary>One pass: how many events it sent, or null when the subscription or its connection ended.</summary>
    private async Task<int?> ReplayAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var key = subscription.Key;
        var after = subscription.ReplayFrom;
        var database = redis.GetDatabase();
        var reply = await FirstPageScript.EvaluateAsync(database, new FirstPageArguments(key.StreamKey, after is { } from ? "(" + from : "-", _pageSize))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (reply.Length < 2)
        {
            // No such stream. Without a last id (or with 0-0, "from the start": the client has seen nothing) it expired or
            // never existed: nothing to replay, nothing known lost. With a real one, the events the client saw are gone
            // (Redis lost its data, or the stream expired): say so.
            if (after is { } seen && seen > StreamId.Zero)
            {
                var gone = JsonSerializer.SerializeToUtf8Bytes(new TruncatedFrame(key.RunId, key.SessionId, string.Empty), HubJsonContext.Default.TruncatedFrame);
                return await SendAsync(subscription, null, gone, cancellationToken).ConfigureAwait(false) ? 0 : null;
            }

            return 0;
        }

        if (after is { } lastSeen && FindTruncation(reply[0], lastSeen) is { } firstAvailable)
        {
            var truncated = JsonSerializer.SerializeToUtf8Bytes(new TruncatedFrame(key.RunId, key.SessionId, firstAvailable), HubJsonContext.Default.TruncatedFrame);
            if (!await SendAsync(subscription, null, truncated, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var page = reply[1];
        var replayed = 0;
        while (true)
        {
            string? lastId = null;
            var entries = (RedisResult[]?)page ?? [];
            foreach (var entry in entries)
            {
                lastId = entry.Length > 0 ? (string?)entry[0] : null;
                if (lastId is null || !StreamId.TryParse(lastId, out var id) || Frame(entry, key) is not { } frame)
                {
                    continue;
                }

                if (!await SendAsync(subscription, id, frame, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                replayed++;
            }

            if (entries.Length < _pageSize || lastId is null)
            {
                return replayed;
            }

            page = await database.ExecuteAsync("XRANGE", (RedisKey)key.StreamKey, "(" + lastId, "+", "COUNT", _pageSize).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<bool> SendAsync(Subscription subscription, StreamId? id, byte[] frame, CancellationToken cancellationToken) =>
        await subscription.Connection.WaitForReplayRoomAsync(cancellationToken).ConfigureAwait(false) && subscription.SendReplayed(id, frame);

    /// <summary>The <c>event</c> frame of one entry (<c>[id, [field, value, ...]]</c>), naming the session the entry records; null when it holds no readable event.</summary>
    private static byte[]? Frame(RedisResult entry, SubscriptionKey key)
    {
        if (entry.Length < 2)
        {
            return null;
        }

        WorkflowEvent? workflowEvent = null;
        var sessionId = key.SessionId;
        foreach (var (name, value) in Pairs(entry[1]))
        {
            switch (name)
            {
                case WorkflowStreams.EventField when (byte[]?)value is { } json:
                    try
                    {
                        workflowEvent = JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowEvent);
                    }
                    catch (JsonException)
                    {
                        return null;
                    }

                    break;
                case WorkflowStreams.SessionField when (string?)value is { Length: > 0 } session:
                    sessionId = session;
                    break;
                default:
                    break;
            }
        }

        return workflowEvent is null
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(new EventFrame((string)entry[0]!, workflowEvent.RunId, sessionId, workflowEvent), HubJsonContext.Default.EventFrame);
    }

    /// <summary>The name/value pairs of a flat reply (<c>[name, value, ...]</c>, as XINFO STREAM and a stream entry's fields come).</summary>
    private static IEnumerable<(string? Name, RedisResult Value)> Pairs(RedisResult reply)
    {
        if (reply.IsNull || (RedisResult[]?)reply is not { } elements)
        {
            yield break;
        }

        for (var i = 0; i + 1 < elements.Length; i += 2)
        {
            yield return ((string?)elements[i], elements[i + 1]);
        }
    }

    /// <summary>The first-page script's parameters (<see cref="LuaScript"/> binds them by name).</summary>
    private sealed record FirstPageArguments(RedisKey stream, string start, int count);
}
