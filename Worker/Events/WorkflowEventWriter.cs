using System.Buffers;
using System.Text.Json;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>
/// Writes a <see cref="WorkflowEvent"/> straight to UTF-8 JSON, byte for byte what <see cref="WorkflowsJsonContext"/>
/// writes for the same event with the payload as a <see cref="JsonElement"/> (camelCase names in declaration order, the
/// type by name): the payload writes its own members (<see cref="IWorkflowEventPayload"/>), so no JSON document is built
/// for it and none is parsed back.
/// </summary>
internal static class WorkflowEventWriter
{
    private static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText RunId = JsonEncodedText.Encode("runId");
    private static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Payload = JsonEncodedText.Encode("payload");
    private static readonly JsonEncodedText[] TypeNames = [.. Enum.GetNames<WorkflowEventType>().Select(name => JsonEncodedText.Encode(name))];

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _cached;

    /// <summary>The event's JSON; a new array the caller owns.</summary>
    public static byte[] Write<TPayload>(Guid eventId, Guid runId, long sequence, WorkflowEventType type, DateTimeOffset timestamp, TPayload payload)
        where TPayload : struct, IWorkflowEventPayload
    {
        var (buffer, writer) = _cached ??= (new ArrayBufferWriter<byte>(1024), new Utf8JsonWriter(Stream.Null));
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString(EventId, eventId);
        writer.WriteString(RunId, runId);
        writer.WriteNumber(Sequence, sequence);
        if ((uint)type < (uint)TypeNames.Length)
        {
            writer.WriteString(Type, TypeNames[(int)type]);
        }
        else
        {
            // What the string enum converter writes for a value without a name.
            writer.WriteNumber(Type, (int)type);
        }

        writer.WriteString(Timestamp, timestamp);
        writer.WriteStartObject(Payload);
        payload.WriteProperties(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            // A large payload (an LLM answer) does not stay attached to the thread.
            _cached = null;
        }

        return json;
    }
}
