namespace Observability.Workflows.Runs;

/// <summary>
/// The end of an execution: whether this attempt set the final status (else <see cref="Status"/> is what the run has,
/// such as Cancelled), and the run's token and cost totals as stored (planning plus every completed step, each once).
/// </summary>
public sealed record RunFinish(bool Applied, WorkflowRunStatus? Status, long InputTokens, long OutputTokens, decimal Cost);
