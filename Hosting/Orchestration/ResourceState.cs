namespace Observability.Hosting.Orchestration;

/// <summary>Where a replica of a resource is in its life.</summary>
public enum ResourceState
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>Waiting for dependencies (the reason says which and why).</summary>
    Waiting,

    /// <summary>Launched, not yet healthy.</summary>
    Starting,

    /// <summary>Running and healthy (or running, for resources without a health check).</summary>
    Running,

    /// <summary>Running, but its health check fails.</summary>
    Unhealthy,

    /// <summary>Being stopped.</summary>
    Stopping,

    /// <summary>Ended: stopped, crashed (non-zero exit code), or waiting to be restarted.</summary>
    Exited,

    /// <summary>Could not be started (missing program, failed set-up, failed dependency).</summary>
    FailedToStart,

    /// <summary>Ran to completion with exit code 0 (a one-shot job).</summary>
    Finished,
}
