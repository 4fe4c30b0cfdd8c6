namespace Observability.Workflows.Runs;

/// <summary>
/// The planner's DAG of steps for one run (stored as jsonb in <c>workflow_runs.plan</c>). <see cref="Source"/> says
/// where it came from (<see cref="FromModel"/>: the model's reply; <see cref="FromFallback"/>: the deterministic plan
/// used when the reply was not a valid plan, with the reason in <see cref="FallbackReason"/>).
/// </summary>
public sealed record WorkflowPlan(IReadOnlyList<PlannedStep> Steps, string? Source = null, string? FallbackReason = null)
{
    /// <summary>The <see cref="Source"/> of a plan taken from the model's reply.</summary>
    public const string FromModel = "model";

    /// <summary>The <see cref="Source"/> of the deterministic plan used when the model's reply was not a valid plan.</summary>
    public const string FromFallback = "fallback";
}
