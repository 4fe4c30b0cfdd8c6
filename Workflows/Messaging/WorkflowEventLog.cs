using System.Globalization;
using System.Text.Json;
using Observability.Redis;
using Observability.Redis.Scripting;

namespace Observability.Workflows.Messaging;

/// <summary>
/// Appends a run's events to Redis in one atomic script: to the run's bounded stream and the session's bounded stream
/// (both for replay; fields <see cref="WorkflowStreams.EventField"/>, <see cref="WorkflowStreams.SessionField"/> and
/// <see cref="WorkflowStreams.TraceParentField"/>),
/// refreshes both streams' expiry, then publishes a <see cref="PublishedWorkflowEvent"/> on
/// <see cref="WorkflowStreams.EventsChannel"/> (for live delivery). Because one script does all of it, every subscriber
/// sees a live event only after it can also be replayed, and live order equals stream order.
/// </summary>
public sealed class WorkflowEventLog(RedisClient redis)
{
    // KEYS[1] run stream, KEYS[2] session stream. ARGV: event JSON, traceparent ('' = none), envelope JSON (an object
    // without the stream ids), run max length, session max length, retention ms, channel, session id.
    private static readonly RedisScript AppendScript = new("""
        local fields = { 'event', ARGV[1], 'session', ARGV[8] }
        if ARGV[2] ~= '' then
          fields[5] = 'traceparent'
          fields[6] = ARGV[2]
        end
        local runEntry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', unpack(fields))
        local sessionEntry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', unpack(fields))
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        local message = '{"runStreamId":"' .. runEntry .. '","sessionStreamId":"' .. sessionEntry .. '",' .. string.sub(ARGV[3], 2)
        redis.call('PUBLISH', ARGV[7], message)
        return { runEntry, sessionEntry }
        """);

    private static readonly string RetentionMilliseconds =
        ((long)WorkflowStreams.EventsRetention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Appends and publishes <paramref name="workflowEvent"/>; returns it as subscribers receive it.</summary>
    public async Task<PublishedWorkflowEvent> AppendAsync(string sessionId, WorkflowEvent workflowEvent, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(workflowEvent);
        var eventJson = JsonSerializer.SerializeToUtf8Bytes(workflowEvent, WorkflowsJsonContext.Default.WorkflowEvent);
        var envelopeJson = Envelope(sessionId, traceParent, eventJson);
        var reply = await redis.EvaluateAsync(
            AppendScript,
            [WorkflowStreams.Events(workflowEvent.RunId), WorkflowStreams.SessionEvents(sessionId)],
            [
                eventJson,
                traceParent ?? string.Empty,
                envelopeJson,
                WorkflowStreams.MaxEventsPerRun.ToString(CultureInfo.InvariantCulture),
                WorkflowStreams.MaxEventsPerSession.ToString(CultureInfo.InvariantCulture),
                RetentionMilliseconds,
                WorkflowStreams.EventsChannel,
                sessionId,
            ],
            cancellationToken).ConfigureAwait(false);
        if (reply.Elements.Count != 2 || reply.Elements[0].AsString() is not { } runStreamId || reply.Elements[1].AsString() is not { } sessionStreamId)
        {
            throw new RedisException($"The event append script answered {reply} instead of the two stream ids.");
        }

        return new PublishedWorkflowEvent(runStreamId, sessionStreamId, sessionId, traceParent, workflowEvent);
    }

    /// <summary>
    /// The part of a <see cref="PublishedWorkflowEvent"/> known before the append (an object without the stream ids,
    /// which the script puts in front), with the event's JSON written as it is rather than serialised a second time.
    /// </summary>
    private static ReadOnlyMemory<byte> Envelope(string sessionId, string? traceParent, byte[] eventJson)
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

        return buffer.WrittenMemory;
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
}
