namespace Observability.Workflows.Messaging;

/// <summary>
/// The part of a <see cref="PublishedWorkflowEvent"/> known before the append; the append script adds the two stream
/// ids in front of it.
/// </summary>
public sealed record WorkflowEventEnvelope(string SessionId, string? TraceParent, WorkflowEvent Event);
