namespace Observability.Workflows.Runs;

/// <summary>
/// A run a worker has just started (or taken over): what it needs to execute it, and the <see cref="Attempt"/> that
/// fences every later change (a change made under an older attempt is refused, so a worker that lost the run to a
/// newer one cannot touch it). <see cref="Plan"/> is set when an earlier attempt recorded it: the run resumes.
/// <see cref="TraceParent"/> and <see cref="Baggage"/> are the W3C context the run was submitted under, stored with
/// the run, so any path that picks it up again can continue the submitter's trace.
/// </summary>
public sealed record RunExecution(
    Guid RunId,
    string SessionId,
    string Task,
    string? Agent,
    string? Model,
    DateTimeOffset CreatedAt,
    WorkflowPlan? Plan,
    int Attempt,
    string? TraceParent = null,
    string? Baggage = null);
