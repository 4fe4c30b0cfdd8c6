namespace Observability.Workflows.Alerts;

/// <summary>Which threshold an <see cref="Alert"/> crossed. Stored as its name (text) in <c>alerts.kind</c>.</summary>
public enum AlertKind
{
    WorkflowDuration,
    StepDuration,
    LlmCallDuration,
    CostPerWorkflow,
    ErrorRate,
}
