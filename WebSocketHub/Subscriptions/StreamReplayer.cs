using System.Text.Json;
using Microsoft.Extensions.Options;
using Observability.Redis;
using Observability.Redis.Scripting;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Sends a subscription's missed events from its bounded stream: a <c>truncated</c> frame first when entries after
/// the last event id were already removed, then every entry after it (XRANGE with an exclusive start, page by page)
/// as <c>event</c> frames; then lets the subscription's buffered live events through.
/// </summary>
internal sealed class StreamReplayer(RedisClient redis, IOptions<WebSocketHubOptions> options)
{
    // KEYS[1] stream. ARGV[1] XRANGE start, ARGV[2] page size. Returns {} when the stream does not exist, else
    // { XINFO STREAM, first page }: read together, so that no trimming between them can hide a gap.
    private static readonly RedisScript FirstPageScript = new("""
        local ok, info = pcall(redis.call, 'XINFO', 'STREAM', KEYS[1])
        if not ok then
          return {}
        end
        return { info, redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]) }
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
    /// not), or entries were removed (<c>entries-added</c> &gt; <c>length</c>) and it is older than the first entry
    /// left (or none is left). Nothing is missing when it is at or after <c>last-generated-id</c>. Returns the first
    /// entry id left (empty when none), or null when nothing after it is missing.
    /// </summary>
    /// <remarks>
    /// Trimming only removes the oldest entries, so when <paramref name="lastSeen"/> is at or after the first entry
    /// left the answer is exact. When it is older, Redis keeps no trimmed ids: a client whose last event was itself
    /// the last entry trimmed is told too (a false alarm rather than a silent gap).
    /// </remarks>
    internal static string? FindTruncation(RedisReply info, StreamId lastSeen)
    {
        long length = 0;
        long added = 0;
        var maxDeleted = StreamId.Zero;
        StreamId? lastGenerated = null;
        string? firstEntry = null;
        foreach (var (name, value) in info.AsPairs())
        {
            switch (name.AsString())
            {
                case "length":
                    length = value.AsInt64();
                    break;
                case "entries-added":
                    added = value.AsInt64();
                    break;
                case "max-deleted-entry-id" when StreamId.TryParse(value.AsString(), out var id):
                    maxDeleted = id;
                    break;
                case "last-generated-id" when StreamId.TryParse(value.AsString(), out var id):
                    lastGenerated = id;
                    break;
                case "first-entry" when !value.IsNull && value.Elements.Count > 0:
                    firstEntry = value.Elements[0].AsString();
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
        var trimmedPast = added > length && (firstEntry is null || (StreamId.TryParse(firstEntry, out var first) && lastSeen < first));
        return deletedAfter || trimmedPast ? firstEntry ?? string.Empty : null;
    }

    /// <summary>One pass: how many events it sent, or null when the subscription or its connection ended.</summary>
    private async Task<int?> ReplayAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var key = subscription.Key;
        var after = subscription.ReplayFrom;
        var reply = await redis.EvaluateAsync(
            FirstPageScript,
            [key.StreamKey],
            [after is { } from ? "(" + from : "-", _pageSize],
            cancellationToken).ConfigureAwait(false);
        if (reply.Elements.Count < 2)
        {
            // No such stream: it expired or never existed; there is nothing to replay and nothing known to be lost.
            return 0;
        }

        if (after is { } lastSeen && FindTruncation(reply.Elements[0], lastSeen) is { } firstAvailable)
        {
            var truncated = JsonSerializer.SerializeToUtf8Bytes(new TruncatedFrame(key.RunId, key.SessionId, firstAvailable), HubJsonContext.Default.TruncatedFrame);
            if (!await SendAsync(subscription, null, truncated, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var page = reply.Elements[1];
        var replayed = 0;
        while (true)
        {
            string? lastId = null;
            foreach (var entry in page.Elements)
            {
                lastId = entry.Elements.Count > 0 ? entry.Elements[0].AsString() : null;
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

            if (page.Elements.Count < _pageSize || lastId is null)
            {
                return replayed;
            }

            page = await redis.ExecuteAsync("XRANGE", [key.StreamKey, "(" + lastId, "+", "COUNT", _pageSize], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<bool> SendAsync(Subscription subscription, StreamId? id, byte[] frame, CancellationToken cancellationToken) =>
        await subscription.Connection.WaitForReplayRoomAsync(cancellationToken).ConfigureAwait(false) && subscription.SendReplayed(id, frame);

    /// <summary>The <c>event</c> frame of one entry (<c>[id, [field, value, ...]]</c>), naming the session the entry records; null when it holds no readable event.</summary>
    private static byte[]? Frame(RedisReply entry, SubscriptionKey key)
    {
        if (entry.Elements.Count < 2)
        {
            return null;
        }

        WorkflowEvent? workflowEvent = null;
        var sessionId = key.SessionId;
        foreach (var (name, value) in entry.Elements[1].AsPairs())
        {
            switch (name.AsString())
            {
                case WorkflowStreams.EventField when value.Bytes is { } json:
                    try
                    {
                        workflowEvent = JsonSerializer.Deserialize(json.Span, WorkflowsJsonContext.Default.WorkflowEvent);
                    }
                    catch (JsonException)
                    {
                        return null;
                    }

                    break;
                case WorkflowStreams.SessionField when value.AsString() is { Length: > 0 } session:
                    sessionId = session;
                    break;
                default:
                    break;
            }
        }

        return workflowEvent is null
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(new EventFrame(entry.Elements[0].AsString()!, workflowEvent.RunId, sessionId, workflowEvent), HubJsonContext.Default.EventFrame);
    }
}
