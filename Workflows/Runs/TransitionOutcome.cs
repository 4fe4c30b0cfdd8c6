namespace Observability.Workflows.Runs;

/// <summary>How a status change ended.</summary>
public enum TransitionOutcome
{
    /// <summary>This caller changed the status.</summary>
    Applied,

    /// <summary>No run has that id.</summary>
    NotFound,

    /// <summary>The run's current status does not allow the change (or another caller changed it first).</summary>
    Rejected,
}
