using System.ComponentModel;
using Observability.Gateway.Apis;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Gateway.Caching;

/// <summary>
/// A run and its steps as the run details show them, without what is read fresh on every request (alerts, the events
/// ticket). This is the value <see cref="RunDetailsCache"/> keeps once the run is final. Immutable, so HybridCache
/// hands out the same instance from its first level instead of deserializing a copy per hit.
/// </summary>
[ImmutableObject(true)]
internal sealed record RunSnapshot(
    Guid RunId,
    string SessionId,
    string Task,
    string? Agent,
    string? Model,
    string? Mode,
    WorkflowRunStatus Status,
    WorkflowPlan? Plan,
    double? QualityScore,
    IReadOnlyList<WorkflowStepDetails> Steps,
    TokenUsage Tokens,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int AttemptCount,
    string? DeadLetterReason,
    string? TraceId,
    string? CorrelationId)
{
    /// <summary>
    /// Whether the run's snapshot can no longer change: Completed, Failed or Cancelled. Every write to a run or to its
    /// steps requires the run to be Queued or Running (the stores' conditional UPDATEs), except the worker's re-drive of
    /// dead letters, which puts a DeadLettered run back to Queued: DeadLettered is final but not settled.
    /// </summary>
    public bool CannotChange => Status is WorkflowRunStatus.Completed or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled;

    public static RunSnapshot From(WorkflowRun run, IReadOnlyList<WorkflowStep> steps) => new(
        run.Id,
        run.SessionId,
        run.Task,
        run.Agent,
        run.Model,
        run.Mode,
        run.Status,
        run.Plan,
        run.QualityScore,
        [.. steps.Select(WorkflowStepDetails.From)],
        new TokenUsage(run.InputTokens, run.OutputTokens, run.InputTokens + run.OutputTokens),
        run.Cost,
        run.CreatedAt,
        run.StartedAt,
        run.CompletedAt,
        run.AttemptCount,
        run.DeadLetterReason,
        run.TraceId,
        run.CorrelationId);
}
