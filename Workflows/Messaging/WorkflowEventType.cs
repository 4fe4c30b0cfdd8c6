namespace Observability.Workflows.Messaging;

/// <summary>What a <see cref="WorkflowEvent"/> reports.</summary>
public enum WorkflowEventType
{
    Queued,
    Planned,
    StepStarted,
    StepCompleted,
    LlmCall,
    Alert,
    Completed,
    Failed,
    Cancelled,
}
