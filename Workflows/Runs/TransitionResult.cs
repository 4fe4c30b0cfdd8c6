namespace Observability.Workflows.Runs;

/// <summary>The outcome of a status change and, unless the run was not found, its status afterwards.</summary>
public sealed record TransitionResult(TransitionOutcome Outcome, WorkflowRunStatus? Status)
{
    public bool Applied => Outcome == TransitionOutcome.Applied;
}
