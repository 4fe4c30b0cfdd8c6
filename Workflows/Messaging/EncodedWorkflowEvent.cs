namespace Observability.Workflows.Messaging;

/// <summary>
/// A <see cref="WorkflowEvent"/> already serialised (UTF-8 JSON, the <see cref="WorkflowsJsonContext"/> shape) for
/// <see cref="WorkflowEventLog.AppendBatchAsync"/>,
/// with its <see cref="WorkflowEvent.Type"/> (for the appender's own diagnostics) and the W3C <c>traceparent</c> of
/// the span that published it (null outside any span).
/// </summary>
public readonly record struct EncodedWorkflowEvent(WorkflowEventType Type, ReadOnlyMemory<byte> Json, string? TraceParent);
