using System.Text.Json;
using Microsoft.Extensions.Options;
using Observability.Redis;
using Observability.Redis.Streams;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Sends a subscription's missed events from its bounded stream: a <c>truncated</c> frame first when entries after
/// the client's last event id were already trimmed, then every entry after it (XRANGE with an exclusive start, page
/// by page) as <c>event</c> frames.
/// </summary>
internal sealed class StreamReplayer(RedisClient redis, IOptions<WebSocketHubOptions> options)
{
    private readonly int _pageSize = options.Value.ReplayPageSize;

    /// <summary>
    /// Replays and returns how many entries were sent and the id of the last one (or <paramref name="after"/>); null
    /// when the connection started closing meanwhile.
    /// </summary>
    public async Task<(int Replayed, StreamId Last)?> ReplayAsync(HubConnection connection, SubscriptionKey key, StreamId? after, CancellationToken cancellationToken)
    {
        var stream = key.StreamKey;
        if (after is { } lastSeen && await FindTruncationAsync(stream, lastSeen, cancellationToken).ConfigureAwait(false) is { } firstAvailable)
        {
            var truncated = new TruncatedFrame(key.RunId, key.SessionId, firstAvailable);
            if (!await connection.EnqueueReplayAsync(JsonSerializer.SerializeToUtf8Bytes(truncated, HubJsonContext.Default.TruncatedFrame), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var last = after ?? StreamId.Zero;
        var start = after is null ? "-" : "(" + last;
        var replayed = 0;
        while (true)
        {
            var entries = await redis.XRangeAsync(stream, start, "+", _pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                if (!StreamId.TryParse(entry.Id, out var id) || Frame(entry, key) is not { } frame)
                {
                    continue;
                }

                if (!await connection.EnqueueReplayAsync(frame, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                last = id;
                replayed++;
            }

            if (entries.Count < _pageSize)
            {
                return (replayed, last);
            }

            start = "(" + entries[^1].Id;
        }
    }

    /// <summary>
    /// The first id still in the stream when entries the client has not seen may have been trimmed: some entries
    /// were removed (<c>entries-added</c> &gt; <c>length</c>) and <paramref name="lastSeen"/> is older than the first entry
    /// left, or older than an entry deleted by id (<c>max-deleted-entry-id</c>); null otherwise. (The client whose
    /// last event was itself the last one trimmed is told too: Redis does not keep trimmed ids to tell it apart.)
    /// </summary>
    private async Task<string?> FindTruncationAsync(string stream, StreamId lastSeen, CancellationToken cancellationToken)
    {
        RedisReply info;
        try
        {
            info = await redis.ExecuteAsync("XINFO", ["STREAM", stream], cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            // No such stream: it expired or never existed; there is nothing to replay and nothing known to be lost.
            return null;
        }

        long length = 0;
        long added = 0;
        var maxDeleted = StreamId.Zero;
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
                case "first-entry" when !value.IsNull && value.Elements.Count > 0:
                    firstEntry = value.Elements[0].AsString();
                    break;
                default:
                    break;
            }
        }

        var trimmedPastIt = added > length && firstEntry is not null && StreamId.TryParse(firstEntry, out var first) && lastSeen < first;
        return trimmedPastIt || lastSeen < maxDeleted ? firstEntry ?? string.Empty : null;
    }

    private static byte[]? Frame(RedisStreamEntry entry, SubscriptionKey key)
    {
        foreach (var (name, value) in entry.Fields)
        {
            if (name != WorkflowStreams.EventField)
            {
                continue;
            }

            WorkflowEvent? workflowEvent;
            try
            {
                workflowEvent = JsonSerializer.Deserialize(value.Span, WorkflowsJsonContext.Default.WorkflowEvent);
            }
            catch (JsonException)
            {
                return null;
            }

            return workflowEvent is null
                ? null
                : JsonSerializer.SerializeToUtf8Bytes(new EventFrame(entry.Id, workflowEvent.RunId, key.SessionId, workflowEvent), HubJsonContext.Default.EventFrame);
        }

        return null;
    }
}
