using Microsoft.Extensions.Diagnostics.HealthChecks;
using Observability.Hosting.Health;

namespace Observability.Hosting.Orchestration;

/// <summary>Health watching: fast polls until the first healthy answer, then one probe per interval, for as long as it runs.</summary>
internal sealed partial class ReplicaRunner
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SlowestStartupPoll = TimeSpan.FromSeconds(1);

    private async Task WatchHealthAsync(IHealthProbe probe, int? processId, CancellationToken cancellationToken)
    {
        var startupPoll = FirstPoll;
        var everHealthy = false;
        try
        {
            while (true)
            {
                var result = await ProbeAsync(probe, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var state = _snapshot.State;
                    if (result.Status == HealthStatus.Healthy)
                    {
                        everHealthy = true;
                        if (state != ResourceState.Running)
                        {
                            Publish(ResourceState.Running, null, processId);
                        }
                    }
                    else if (_snapshot.Reason != result.Description)
                    {
                        Publish(state == ResourceState.Starting ? ResourceState.Starting : ResourceState.Unhealthy, result.Description, processId);
                    }
                }

                var delay = everHealthy ? Options.HealthCheckInterval : startupPoll;
                startupPoll = TimeSpan.FromTicks(Math.Min(startupPoll.Ticks * 2, SlowestStartupPoll.Ticks));
                await Task.Delay(delay, _context.Host.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The replica stopped or exited: nothing left to watch.
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(IHealthProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.HealthCheckTimeout);
        try
        {
            return await probe.CheckAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{probe.Description}: no answer within {Options.HealthCheckTimeout.TotalSeconds:0.#} s");
        }
    }
}
