namespace Observability.Hosting.Orchestration;

/// <summary>The latest state of every replica, and waits on state changes (as Aspire's service of the same name).</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after every change, on the thread that made it.</summary>
    public event Action<ResourceSnapshot>? Changed;

    /// <summary>The replicas of <paramref name="resourceName"/>, in replica order (empty for unknown names).</summary>
    public IReadOnlyList<ResourceSnapshot> GetReplicas(string resourceName)
    {
        lock (_lock)
        {
            return [.. _snapshots.Values.Where(s => s.ResourceName == resourceName)];
        }
    }

    /// <summary>Every replica of every resource.</summary>
    public IReadOnlyList<ResourceSnapshot> GetAll()
    {
        lock (_lock)
        {
            return [.. _snapshots.Values];
        }
    }

    /// <summary>Waits until <paramref name="predicate"/> holds for the replicas of <paramref name="resourceName"/>.</summary>
    public async Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceAsync(
        string resourceName, Func<IReadOnlyList<ResourceSnapshot>, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        while (true)
        {
            Task changed;
            IReadOnlyList<ResourceSnapshot> replicas;
            lock (_lock)
            {
                changed = _changed.Task;
                replicas = [.. _snapshots.Values.Where(s => s.ResourceName == resourceName)];
            }

            if (replicas.Count > 0 && predicate(replicas))
            {
                return replicas;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every replica of <paramref name="resourceName"/> is running and healthy.</summary>
    public Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken) =>
        WaitForResourceAsync(resourceName, replicas => replicas.All(r => r.IsHealthy), cancellationToken);

    /// <summary>Waits until every replica of <paramref name="resourceName"/> is in <paramref name="state"/>.</summary>
    public Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceStateAsync(string resourceName, ResourceState state, CancellationToken cancellationToken) =>
        WaitForResourceAsync(resourceName, replicas => replicas.All(r => r.State == state), cancellationToken);

    internal void Publish(ResourceSnapshot snapshot)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _snapshots[snapshot.InstanceId] = snapshot;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
        Changed?.Invoke(snapshot);
    }
}
