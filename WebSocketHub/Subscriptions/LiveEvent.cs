using System.Text.Json;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// A published event on its way to local subscribers. Its <c>event</c> frame is serialised once per stream it is
/// addressed by (run stream ids for run subscriptions, session stream ids for session subscriptions) and the same
/// bytes are shared by every recipient.
/// </summary>
internal sealed class LiveEvent(PublishedWorkflowEvent published, StreamId runStreamId, StreamId sessionStreamId)
{
    private ReadOnlyMemory<byte>? _runFrame;
    private ReadOnlyMemory<byte>? _sessionFrame;

    public PublishedWorkflowEvent Published { get; } = published;

    public StreamId RunStreamId { get; } = runStreamId;

    public StreamId SessionStreamId { get; } = sessionStreamId;

    /// <summary>The frame for run subscriptions (id from the run stream). Built on the dispatching thread only.</summary>
    public ReadOnlyMemory<byte> RunFrame => _runFrame ??= Serialize(Published.RunStreamId);

    /// <summary>The frame for session subscriptions (id from the session stream).</summary>
    public ReadOnlyMemory<byte> SessionFrame => _sessionFrame ??= Serialize(Published.SessionStreamId);

    public static LiveEvent? From(PublishedWorkflowEvent? published) =>
        published is not null
        && StreamId.TryParse(published.RunStreamId, out var runStreamId)
        && StreamId.TryParse(published.SessionStreamId, out var sessionStreamId)
            ? new LiveEvent(published, runStreamId, sessionStreamId)
            : null;

    private byte[] Serialize(string id) => JsonSerializer.SerializeToUtf8Bytes(
        new EventFrame(id, Published.Event.RunId, Published.SessionId, Published.Event),
        HubJsonContext.Default.EventFrame);
}
