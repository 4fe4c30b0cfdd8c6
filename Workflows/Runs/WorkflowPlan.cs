namespace Observability.Workflows.Runs;

/// <summary>The planner's DAG of steps for one run (stored as jsonb in <c>workflow_runs.plan</c>).</summary>
public sealed record WorkflowPlan(IReadOnlyList<PlannedStep> Steps);
