namespace Observability.Workflows.Runs;

/// <summary>The run created or replayed; on <see cref="CreateRunOutcome.IdempotencyKeyConflict"/>, the run that owns the key.</summary>
public sealed record CreateRunResult(CreateRunOutcome Outcome, WorkflowRun Run);
