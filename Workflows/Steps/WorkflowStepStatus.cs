namespace Observability.Workflows.Steps;

/// <summary>Where a step is in its life. Stored as its name (text) in <c>workflow_steps.status</c>.</summary>
public enum WorkflowStepStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
}
