using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Observability.Workflows.Messaging;

/// <summary>
/// Appends a run's events to Redis in one atomic script: to the run's bounded stream and the session's bounded stream
/// (both for replay; fields <see cref="WorkflowStreams.EventField"/>, <see cref="WorkflowStreams.SessionField"/> and
/// <see cref="WorkflowStreams.TraceParentField"/>), refreshes both streams' expiry, numbers the publication
/// (<see cref="WorkflowStreams.EventsPublished"/>), then publishes a <see cref="PublishedWorkflowEvent"/> on
/// <see cref="WorkflowStreams.EventsChannel"/> (for live delivery). Because one script does all of it, every subscriber
/// sees a live event only after it can also be replayed, live order equals stream order, and a subscriber that sees
/// a <see cref="PublishedWorkflowEvent.ChannelSequence"/> jump knows it missed publications.
/// </summary>
/// <remarks>
/// The script is a prepared <see cref="LuaScript"/>: StackExchange.Redis loads it once per server (<c>SCRIPT LOAD</c>)
/// and sends <c>EVALSHA</c>, loading it again when a restarted server answers <c>NOSCRIPT</c>.
/// </remarks>
public sealed class WorkflowEventLog(IConnectionMultiplexer redis)
{
    private static readonly LuaScript AppendScript = LuaScript.Prepare("""
        local fields = { 'event', @eventJson, 'session', @sessionId }
        if @traceParent ~= '' then
          fields[5] = 'traceparent'
          fields[6] = @traceParent
        end
        local runEntry = redis.call('XADD', @runStream, 'MAXLEN', '~', @runMaxLength, '*', unpack(fields))
        local sessionEntry = redis.call('XADD', @sessionStream, 'MAXLEN', '~', @sessionMaxLength, '*', unpack(fields))
        redis.call('PEXPIRE', @runStream, @retention)
        redis.call('PEXPIRE', @sessionStream, @retention)
        local sequence = redis.call('INCR', @published)
        local message = '{"runStreamId":"' .. runEntry .. '","sessionStreamId":"' .. sessionEntry .. '","channelSequence":' .. sequence .. ',' .. string.sub(@envelope, 2)
        redis.call('PUBLISH', @channel, message)
        return { runEntry, sessionEntry, sequence }
        """);

    private static readonly string RetentionMilliseconds =
        ((long)WorkflowStreams.EventsRetention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Appends and publishes <paramref name="workflowEvent"/>; returns it as subscribers receive it.</summary>
    public async Task<PublishedWorkflowEvent> AppendAsync(string sessionId, WorkflowEvent workflowEvent, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(workflowEvent);
        cancellationToken.ThrowIfCancellationRequested();
        var eventJson = JsonSerializer.SerializeToUtf8Bytes(workflowEvent, WorkflowsJsonContext.Default.WorkflowEvent);
        var reply = await AppendScript.EvaluateAsync(redis.GetDatabase(), new AppendArguments(
            (RedisKey)WorkflowStreams.Events(workflowEvent.RunId),
            (RedisKey)WorkflowStreams.SessionEvents(sessionId),
            (RedisKey)WorkflowStreams.EventsPublished,
            eventJson,
            sessionId,
            traceParent ?? string.Empty,
            Envelope(sessionId, traceParent, eventJson),
            WorkflowStreams.MaxEventsPerRun,
            WorkflowStreams.MaxEventsPerSession,
            RetentionMilliseconds,
            WorkflowStreams.EventsChannel)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var ids = (RedisResult[]?)reply;
        if (ids is not [var run, var session, var sequence] || (string?)run is not { } runStreamId || (string?)session is not { } sessionStreamId)
        {
            throw new RedisException($"The event append script answered {reply} instead of the two stream ids and the channel sequence.");
        }

        return new PublishedWorkflowEvent(runStreamId, sessionStreamId, sessionId, traceParent, workflowEvent) { ChannelSequence = (long)sequence };
    }

    /// <summary>
    /// The part of a <see cref="PublishedWorkflowEvent"/> known before the append (an object without the stream ids,
    /// which the script puts in front), with the event's JSON written as it is rather than serialised a second time.
    /// </summary>
    private static byte[] Envelope(string sessionId, string? traceParent, byte[] eventJson)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(eventJson.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sessionId", sessionId);
            if (traceParent is not null)
            {
                writer.WriteString("traceParent", traceParent);
            }

            writer.WritePropertyName("event");
            writer.WriteRawValue(eventJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

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

    /// <summary>The script's parameters (<see cref="LuaScript"/> binds them by name; the <see cref="RedisKey"/> ones are its keys).</summary>
    private sealed record AppendArguments(
        RedisKey runStream,
        RedisKey sessionStream,
        RedisKey published,
        byte[] eventJson,
        string sessionId,
        string traceParent,
        byte[] envelope,
        long runMaxLength,
        long sessionMaxLength,
        string retention,
        string channel);
}
