using System.Text.Json;

namespace Observability.Workflows.Messaging;

/// <summary>
/// One progress event of a run, streamed to clients. <see cref="Sequence"/> increases by one per run so a client
/// can order events and detect gaps; <see cref="Payload"/> holds the type-specific details.
/// </summary>
public sealed record WorkflowEvent(
    Guid EventId,
    Guid RunId,
    long Sequence,
    WorkflowEventType Type,
    DateTimeOffset Timestamp,
    JsonElement? Payload);
