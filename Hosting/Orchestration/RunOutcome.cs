namespace Observability.Hosting.Orchestration;

/// <summary>How one run of a replica ended.</summary>
internal enum RunOutcome
{
    /// <summary>Stopped by a command or by the host's shutdown.</summary>
    Stopped,

    /// <summary>Exited with code 0 on its own.</summary>
    Finished,

    /// <summary>Exited with another code on its own.</summary>
    Crashed,

    /// <summary>Never ran: start failed, or a dependency failed.</summary>
    Failed,
}
