using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Observability.Workflows.Messaging;

/// <summary>
/// Appends a run's events to Redis in one atomic script: to the run's bounded stream and the session's bounded stream
/// (both for replay; fields <see cref="WorkflowStreams.EventField"/>, <see cref="WorkflowStreams.SessionField"/> and
/// <see cref="WorkflowStreams.TraceParentField"/>), numbers each publication
/// (<see cref="WorkflowStreams.EventsPublished"/>), publishes each as a <see cref="PublishedWorkflowEvent"/> on
/// <see cref="WorkflowStreams.EventsChannel"/> (for live delivery), then refreshes both streams' expiry. Because one
/// script does all of it, every subscriber sees a live event only after it can also be replayed, live order equals
/// stream order, and a subscriber that sees a <see cref="PublishedWorkflowEvent.ChannelSequence"/> jump knows it missed
/// publications.
/// </summary>
/// <remarks>
/// Each event's JSON crosses the wire once: the script writes the published message around it (the stream ids, the
/// channel sequence, the session id and traceparent as JSON strings, escaped by the script). Several events of one run
/// can go in one call, appended and published in their order, each with its own stream ids and channel sequence.
/// A call fails before its first write or not at all: Redis does not undo a script's writes when a later command in it
/// fails, so the script checks that both stream keys are streams (or absent) and numbers the call's publications with
/// one <c>INCRBY</c> before it appends anything; a key of another type (<c>WRONGTYPE</c>) appends none of the events.
/// StackExchange.Redis loads the script once per server (<c>SCRIPT LOAD</c>) and sends <c>EVALSHA</c>, loading it
/// again when a restarted server answers <c>NOSCRIPT</c>.
/// </remarks>
public sealed class WorkflowEventLog(IConnectionMultiplexer redis)
{
    /// <summary>
    /// KEYS: run stream, session stream, publication counter. ARGV: run stream bound, session stream bound, retention
    /// (ms), channel, session id, then per event its JSON and its traceparent ('' for none). Returns, per event, its
    /// run stream id, session stream id and channel sequence.
    /// </summary>
    private const string AppendScript = """
        local function quoted(text)
          if string.find(text, '[%c"\\]') then
            text = string.gsub(text, '[%c"\\]', function(c) return string.format('\\u%04x', string.byte(c)) end)
          end
          return '"' .. text .. '"'
        end
        local runStream, sessionStream, published = KEYS[1], KEYS[2], KEYS[3]
        local runMaxLength, sessionMaxLength, channel, session = ARGV[1], ARGV[2], ARGV[4], ARGV[5]
        for _, key in ipairs({ runStream, sessionStream }) do
          local kind = redis.call('TYPE', key)['ok']
          if kind ~= 'stream' and kind ~= 'none' then
            return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. kind .. ', not a stream: no event appended')
          end
        end
        local count = (#ARGV - 5) / 2
        local sequence = redis.call('INCRBY', published, count) - count
        local sessionMember = ',"sessionId":' .. quoted(session)
        local ids = {}
        for i = 6, #ARGV, 2 do
          local eventJson, traceParent = ARGV[i], ARGV[i + 1]
          local runEntry, sessionEntry, members
          if traceParent == '' then
            runEntry = redis.call('XADD', runStream, 'MAXLEN', '~', runMaxLength, '*', 'event', eventJson, 'session', session)
            sessionEntry = redis.call('XADD', sessionStream, 'MAXLEN', '~', sessionMaxLength, '*', 'event', eventJson, 'session', session)
            members = sessionMember
          else
            runEntry = redis.call('XADD', runStream, 'MAXLEN', '~', runMaxLength, '*', 'event', eventJson, 'session', session, 'traceparent', traceParent)
            sessionEntry = redis.call('XADD', sessionStream, 'MAXLEN', '~', sessionMaxLength, '*', 'event', eventJson, 'session', session, 'traceparent', traceParent)
            members = sessionMember .. ',"traceParent":' .. quoted(traceParent)
          end
          sequence = sequence + 1
          redis.call('PUBLISH', channel, '{"runStreamId":"' .. runEntry .. '","sessionStreamId":"' .. sessionEntry .. '","channelSequence":' .. sequence .. members .. ',"event":' .. eventJson .. '}')
          ids[#ids + 1] = runEntry
          ids[#ids + 1] = sessionEntry
          ids[#ids + 1] = sequence
        end
        redis.call('PEXPIRE', runStream, ARGV[3])
        redis.call('PEXPIRE', sessionStream, ARGV[3])
        return ids
        """;

    private const int FixedArguments = 5;

    private static readonly RedisValue RetentionMilliseconds =
        ((long)WorkflowStreams.EventsRetention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Appends and publishes <paramref name="workflowEvent"/>; returns it as subscribers receive it.</summary>
    public async Task<PublishedWorkflowEvent> AppendAsync(string sessionId, WorkflowEvent workflowEvent, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowEvent);
        var eventJson = JsonSerializer.SerializeToUtf8Bytes(workflowEvent, WorkflowsJsonContext.Default.WorkflowEvent);
        var ids = await EvaluateAsync(sessionId, workflowEvent.RunId, [new EncodedWorkflowEvent(workflowEvent.Type, eventJson, traceParent)], cancellationToken)
            .ConfigureAwait(false);
        return new PublishedWorkflowEvent((string)ids[0]!, (string)ids[1]!, sessionId, traceParent, workflowEvent) { ChannelSequence = (long)ids[2] };
    }

    /// <summary>
    /// Appends and publishes <paramref name="events"/> of the run <paramref name="runId"/>, in their order, in one script
    /// call: each gets its own stream ids and channel sequence, and no other publication comes between them. The
    /// events' JSON must be <see cref="WorkflowEvent"/>s of that run (they are stored and published as they are).
    /// </summary>
    public Task AppendBatchAsync(string sessionId, Guid runId, IReadOnlyList<EncodedWorkflowEvent> events, CancellationToken cancellationToken) =>
        EvaluateAsync(sessionId, runId, events, cancellationToken);

    /// <summary>Reads a <see cref="WorkflowStreams.EventsChannel"/> message; null when it is not one.</summary>
    public static PublishedWorkflowEvent? ParsePublished(ReadOnlySpan<byte> message)
    {
        try
        {
            return JsonSerializer.Deserialize(message, WorkflowsJsonContext.Default.PublishedWorkflowEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<RedisResult[]> EvaluateAsync(string sessionId, Guid runId, IReadOnlyList<EncodedWorkflowEvent> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count, nameof(events));
        cancellationToken.ThrowIfCancellationRequested();
        var values = new RedisValue[FixedArguments + (2 * events.Count)];
        values[0] = WorkflowStreams.MaxEventsPerRun;
        values[1] = WorkflowStreams.MaxEventsPerSession;
        values[2] = RetentionMilliseconds;
        values[3] = WorkflowStreams.EventsChannel;
        values[4] = sessionId;
        for (var i = 0; i < events.Count; i++)
        {
            values[FixedArguments + (2 * i)] = events[i].Json;
            values[FixedArguments + (2 * i) + 1] = events[i].TraceParent ?? string.Empty;
        }

        RedisKey[] keys = [WorkflowStreams.Events(runId), WorkflowStreams.SessionEvents(sessionId), WorkflowStreams.EventsPublished];
        var reply = await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        if ((RedisResult[]?)reply is not { } ids || ids.Length != 3 * events.Count)
        {
            throw new RedisException($"The event append script answered {reply} instead of two stream ids and a channel sequence for each of the {events.Count} event(s).");
        }

        return ids;
    }
}
