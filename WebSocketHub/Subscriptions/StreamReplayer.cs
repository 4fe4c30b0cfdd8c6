using System.Text.Json;
using Microsoft.Extensions.Options;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Protocol;
using Observability.WebSocketHub.RunStates;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Sends a subscription's missed events from its bounded stream: a <c>truncated</c> frame first, with the run's (or
/// session's) state from PostgreSQL, when events the client has not seen are gone, then every entry after its last
/// event id (XRANGE with an exclusive start, page by page) as <c>event</c> frames; then lets the subscription's
/// buffered live events through.
/// </summary>
/// <remarks>
/// Events are gone when entries after the client's last event id were removed (<see cref="FindTruncation"/>) or, for
/// a new follower of a run (no last event id), when PostgreSQL holds a run that has started but its stream is missing,
/// or the stream no longer starts at the run's first event (<see cref="StartsAtRunStart"/>); and, for any follower of
/// a run, when the stream's last event is not a final one while PostgreSQL says the run ended.
/// </remarks>
internal sealed class StreamReplayer(
    IConnectionMultiplexer redis,
    RunStateReader states,
    IOptions<WebSocketHubOptions> options,
    TimeProvider timeProvider,
    ILogger<StreamReplayer> logger)
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
    private readonly TimeSpan _eventLag = options.Value.EventLagTolerance;

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

    /// <summary>
    /// Whether a run stream whose first entry holds <paramref name="first"/> still starts at the run's first event: its
    /// sequence is 1 and it is not the <c>Queued</c> event of a later attempt that resumed an earlier attempt's work
    /// (payload <c>attempt</c> &gt; 1 and <c>resumed</c> not <c>false</c>; a worker numbers from 1 again only when it
    /// found the run's stream empty, so the events of the work it resumed are gone). A later attempt that says
    /// <c>resumed: false</c> started the run afresh: the earlier attempt ended before its plan (e.g. its replica was
    /// killed between the start and its first append) and left nothing a follower needs. False for an unreadable or
    /// missing entry.
    /// </summary>
    internal static bool StartsAtRunStart(WorkflowEvent? first) =>
        first is { Sequence: 1 }
        && !(first.Type == WorkflowEventType.Queued
            && first.Payload is { ValueKind: JsonValueKind.Object } payload
            && payload.TryGetProperty("attempt", out var attempt)
            && attempt.TryGetInt32(out var number)
            && number > 1
            && !(payload.TryGetProperty("resumed", out var resumed) && resumed.ValueKind == JsonValueKind.False));

    /// <summary>
    /// The event of a stream's last entry, from its <c>XINFO STREAM</c> (<c>last-entry</c>); null when the stream is empty
    /// or the entry holds no readable event.
    /// </summary>
    internal static WorkflowEvent? LastEvent(RedisResult info)
    {
        foreach (var (name, value) in Pairs(info))
        {
            if (name == "last-entry")
            {
                return value.IsNull ? null : ReadEntry(value).Event;
            }
        }

        return null;
    }

    /// <summary>One pass: how many events it sent, or null when the subscription or its connection ended.</summary>
    private async Task<int?> ReplayAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var key = subscription.Key;
        var after = subscription.ReplayFrom;
        // No last id, or 0-0 ("from the start"): the client has seen nothing.
        var newFollower = after is not { } seen || seen == StreamId.Zero;
        var database = redis.GetDatabase();
        var reply = await FirstPageScript.EvaluateAsync(database, new FirstPageArguments(key.StreamKey, newFollower ? "-" : "(" + after, _pageSize))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (await TruncatedAsync(subscription, reply, newFollower, cancellationToken).ConfigureAwait(false) is { } truncated
            && !await SendAsync(subscription, null, truncated, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (reply.Length < 2)
        {
            return 0;
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

    /// <summary>
    /// The <c>truncated</c> frame this pass starts with, or null when the client has missed nothing. <paramref name="reply"/>
    /// is the first-page script's: empty when the stream does not exist, else its <c>XINFO STREAM</c> and first page.
    /// </summary>
    private async Task<byte[]?> TruncatedAsync(Subscription subscription, RedisResult reply, bool newFollower, CancellationToken cancellationToken)
    {
        var key = subscription.Key;
        var firstPage = reply.Length < 2 ? null : (RedisResult[]?)reply[1];
        var firstId = firstPage is [var entry, ..] && entry.Length > 0 ? (string?)entry[0] ?? string.Empty : string.Empty;
        if (reply.Length < 2)
        {
            // No such stream: Redis lost its data, the stream expired (24 h after its last event), or there was never an
            // event. A client that saw events is told they are gone; a new follower of a run only when the run has
            // started (or ended) in PostgreSQL, i.e. had events.
            if (!newFollower)
            {
                return await TruncatedWithStateAsync(key, string.Empty, cancellationToken).ConfigureAwait(false);
            }

            if (key.RunId is not { } lostRunId || await states.ReadRunAsync(lostRunId, cancellationToken).ConfigureAwait(false) is not { } lost
                || (lost.Attempt == 0 && lost.Status == nameof(WorkflowRunStatus.Queued)))
            {
                return null;
            }

            // A run a worker has just started may not have its first event in Redis yet: look again after the lag.
            return lost.Status == nameof(WorkflowRunStatus.Running) && IsRecent(subscription, lost.StartedAt) ? null : Truncated(key, string.Empty, lost, null);
        }

        if (!newFollower)
        {
            if (FindTruncation(reply[0], subscription.ReplayFrom!.Value) is { } firstAvailable)
            {
                return await TruncatedWithStateAsync(key, firstAvailable, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (key.RunId is { } startedRunId && !StartsAtRunStart(firstPage is [var first, ..] ? ReadEntry(first).Event : null)
            && await states.ReadRunAsync(startedRunId, cancellationToken).ConfigureAwait(false) is { } started)
        {
            // The run's first events are gone (trimmed, or lost with Redis's data before the stream was created again).
            return Truncated(key, firstId, started, null);
        }

        // Events that were never appended (a worker's append failed while Redis was unreachable) leave no gap in the
        // stream; a run that ended meanwhile shows no final event. PostgreSQL tells; a follower is not left waiting.
        if (key.RunId is { } endedRunId && LastEvent(reply[0]) is not { Type: WorkflowEventType.Completed or WorkflowEventType.Failed or WorkflowEventType.Cancelled }
            && await TryReadRunAsync(subscription, endedRunId, cancellationToken).ConfigureAwait(false) is { Final: true } ended
            && !IsRecent(subscription, ended.CompletedAt))
        {
            return Truncated(key, firstId, ended, null);
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="at"/> (a change PostgreSQL recorded) is less than <c>EventLagTolerance</c> ago, so its
    /// event may still be on its way to Redis; if so, asks for the subscription to be checked again once it is not.
    /// </summary>
    private bool IsRecent(Subscription subscription, DateTimeOffset? at)
    {
        var wait = at is { } recorded ? recorded + _eventLag - timeProvider.GetUtcNow() : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        subscription.RequestRecheck(wait);
        return true;
    }

    /// <summary>A <c>truncated</c> frame with the state PostgreSQL holds for the subscription's run or session.</summary>
    private async Task<byte[]> TruncatedWithStateAsync(SubscriptionKey key, string firstAvailableId, CancellationToken cancellationToken) =>
        key.RunId is { } runId
            ? Truncated(key, firstAvailableId, await states.ReadRunAsync(runId, cancellationToken).ConfigureAwait(false), null)
            : Truncated(key, firstAvailableId, null, await states.ReadSessionAsync(key.SessionId!, cancellationToken).ConfigureAwait(false));

    /// <summary>The run's state, or null when PostgreSQL has no such run or does not answer (logged: the check is a safety net).</summary>
    private async Task<RunState?> TryReadRunAsync(Subscription subscription, Guid runId, CancellationToken cancellationToken)
    {
        try
        {
            return await states.ReadRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            HubLog.RunStateUnavailable(logger, e, runId, subscription.Connection.Id);
            return null;
        }
    }

    private static byte[] Truncated(SubscriptionKey key, string firstAvailableId, RunState? run, SessionState? session) =>
        JsonSerializer.SerializeToUtf8Bytes(new TruncatedFrame(key.RunId, key.SessionId, firstAvailableId, run, session), HubJsonContext.Default.TruncatedFrame);

    private static async ValueTask<bool> SendAsync(Subscription subscription, StreamId? id, byte[] frame, CancellationToken cancellationToken) =>
        await subscription.Connection.WaitForReplayRoomAsync(cancellationToken).ConfigureAwait(false) && subscription.SendReplayed(id, frame);

    /// <summary>The <c>event</c> frame of one entry (<c>[id, [field, value, ...]]</c>), naming the session the entry records; null when it holds no readable event.</summary>
    private static byte[]? Frame(RedisResult entry, SubscriptionKey key)
    {
        var (workflowEvent, session) = ReadEntry(entry);
        return workflowEvent is null
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(new EventFrame((string)entry[0]!, workflowEvent.RunId, session ?? key.SessionId, workflowEvent), HubJsonContext.Default.EventFrame);
    }

    /// <summary>The event of one entry (<c>[id, [field, value, ...]]</c>) and the session it records; a null event when it holds no readable one.</summary>
    private static (WorkflowEvent? Event, string? SessionId) ReadEntry(RedisResult entry)
    {
        if (entry.Length < 2)
        {
            return (null, null);
        }

        WorkflowEvent? workflowEvent = null;
        string? sessionId = null;
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
                        return (null, null);
                    }

                    break;
                case WorkflowStreams.SessionField when (string?)value is { Length: > 0 } session:
                    sessionId = session;
                    break;
                default:
                    break;
            }
        }

        return (workflowEvent, sessionId);
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
