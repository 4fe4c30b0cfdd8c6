namespace Observability.Hosting.Processes;

/// <summary>One running replica of a resource: a process, or work the host does itself (creating a database).</summary>
internal interface IResourceInstance : IAsyncDisposable
{
    /// <summary>The operating-system process id, when the instance is a process.</summary>
    int? ProcessId { get; }

    /// <summary>Completes with an exit code when the instance ends on its own or after <see cref="StopAsync"/>.</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the instance to stop and waits; forces it after <paramref name="grace"/>.</summary>
    Task StopAsync(TimeSpan grace);
}
