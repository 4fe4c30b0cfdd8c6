namespace Observability.Workflows.Runs;

/// <summary>How <see cref="WorkflowRunStore.CreateAsync"/> ended.</summary>
public enum CreateRunOutcome
{
    /// <summary>A new run was queued (and its job written to the outbox).</summary>
    Created,

    /// <summary>The idempotency key was used before by the same request: the existing run is returned.</summary>
    Replayed,

    /// <summary>The idempotency key was used before by a different request (the API answers 422).</summary>
    IdempotencyKeyConflict,
}
