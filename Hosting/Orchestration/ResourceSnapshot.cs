namespace Observability.Hosting.Orchestration;

/// <summary>The state of one replica at one moment.</summary>
/// <param name="ResourceName">The resource.</param>
/// <param name="InstanceId">The replica (<c>service.instance.id</c>).</param>
/// <param name="State">Its state.</param>
/// <param name="Timestamp">When it entered this state.</param>
public sealed record ResourceSnapshot(string ResourceName, string InstanceId, ResourceState State, DateTimeOffset Timestamp)
{
    /// <summary>Why it is in this state (what it waits for, why it failed), when there is more to say.</summary>
    public string? Reason { get; init; }

    /// <summary>The process id while a process runs.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The last exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>How many times the replica was restarted after a crash.</summary>
    public int RestartCount { get; init; }

    /// <summary>True when the state means healthy and serving.</summary>
    public bool IsHealthy => State == ResourceState.Running;
}
