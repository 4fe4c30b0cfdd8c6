using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// Waits for what a resource waits for: <c>WaitFor</c> until every replica is healthy, <c>WaitForCompletion</c>
/// until the job finished with exit code 0. Reports each change of the reason, and fails when a dependency failed.
/// </summary>
internal static class DependencyWaiter
{
    /// <summary>Null when every dependency is ready; otherwise why the resource cannot start.</summary>
    public static async Task<string?> WaitAsync(Resource resource, ResourceNotificationService notifications, Action<string> reportReason, CancellationToken cancellationToken)
    {
        foreach (var dependency in resource.WaitsForHealthy.Where(d => d.IsOrchestrated))
        {
            string? failure = null;
            await notifications.WaitForResourceAsync(dependency.Name, replicas =>
            {
                if (replicas.FirstOrDefault(r => r.State == ResourceState.FailedToStart) is { } failed)
                {
                    failure = $"dependency '{dependency.Name}' failed to start: {failed.Reason}";
                    return true;
                }

                if (replicas.All(r => r.IsHealthy))
                {
                    return true;
                }

                reportReason($"waiting for '{dependency.Name}' to become healthy ({Describe(replicas)})");
                return false;
            }, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }
        }

        foreach (var job in resource.WaitsForCompletion.Where(d => d.IsOrchestrated))
        {
            string? failure = null;
            await notifications.WaitForResourceAsync(job.Name, replicas =>
            {
                if (replicas.All(r => r.State == ResourceState.Finished))
                {
                    return true;
                }

                if (replicas.FirstOrDefault(r => r.State == ResourceState.FailedToStart || (r.State == ResourceState.Exited && r.ExitCode is not 0 && !job.RestartOnCrash)) is { } failed)
                {
                    failure = failed.State == ResourceState.FailedToStart
                        ? $"dependency '{job.Name}' failed to start: {failed.Reason}"
                        : $"dependency '{job.Name}' exited with code {failed.ExitCode}";
                    return true;
                }

                reportReason($"waiting for '{job.Name}' to finish ({Describe(replicas)})");
                return false;
            }, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    private static string Describe(IReadOnlyList<ResourceSnapshot> replicas) =>
        string.Join("; ", replicas.Select(r => (replicas.Count > 1 ? r.InstanceId + " " : string.Empty) + r.State + (r.Reason is null ? string.Empty : ": " + r.Reason)));
}
