namespace Observability.Workflows.Runs;

/// <summary>Where a workflow run is in its life. Stored as its name (text) in <c>workflow_runs.status</c>.</summary>
public enum WorkflowRunStatus
{
    /// <summary>Accepted and waiting for a worker.</summary>
    Queued,

    /// <summary>A worker won the start and is executing it.</summary>
    Running,

    /// <summary>Every step finished.</summary>
    Completed,

    /// <summary>A step failed and the run gave up.</summary>
    Failed,

    /// <summary>Cancelled by the user before it finished.</summary>
    Cancelled,

    /// <summary>Moved aside after too many delivery attempts.</summary>
    DeadLettered,
}
