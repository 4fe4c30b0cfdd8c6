using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.ApplicationModel;

/// <summary>A named part of the application: a project, an executable, a server, a database or a parameter.</summary>
public abstract class Resource
{
    private protected Resource(string name)
    {
        ResourceNames.Validate(name);
        Name = name;
    }

    /// <summary>The resource's name, unique in the application (used in configuration keys and logs).</summary>
    public string Name { get; }

    internal List<ResourceEndpoint> Endpoints { get; } = [];

    internal List<Resource> References { get; } = [];

    internal List<Resource> WaitsForHealthy { get; } = [];

    internal List<Resource> WaitsForCompletion { get; } = [];

    internal Dictionary<string, Func<string>> EnvironmentVariables { get; } = new(StringComparer.Ordinal);

    /// <summary>How many processes run this resource (each with its own ports).</summary>
    internal int Replicas { get; set; } = 1;

    /// <summary>False for resources that only hold values (parameters).</summary>
    internal virtual bool IsOrchestrated => true;

    /// <summary>True when a crash (non-zero exit) restarts the resource after a backoff.</summary>
    internal bool RestartOnCrash { get; set; }

    /// <summary>Everything this resource depends on: what it references and what it waits for.</summary>
    internal IEnumerable<Resource> Dependencies => References.Concat(WaitsForHealthy).Concat(WaitsForCompletion).Where(r => r.IsOrchestrated).Distinct();

    internal ResourceEndpoint Endpoint(string name) =>
        Endpoints.FirstOrDefault(e => e.Name == name)
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{name}'.");

    /// <summary>Starts one replica: a process, or work the host does itself.</summary>
    internal abstract Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken);

    /// <summary>The check that tells when a replica is ready and whether it stays healthy; null when starting is enough.</summary>
    internal virtual IHealthProbe? CreateHealthProbe(ReplicaContext context) => null;
}
