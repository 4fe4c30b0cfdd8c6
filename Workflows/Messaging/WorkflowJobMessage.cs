namespace Observability.Workflows.Messaging;

/// <summary>The queue message that asks a worker to execute a run; carries the W3C context to continue the trace.</summary>
public sealed record WorkflowJobMessage(Guid RunId, int Attempt, string? TraceParent, string? Baggage);
