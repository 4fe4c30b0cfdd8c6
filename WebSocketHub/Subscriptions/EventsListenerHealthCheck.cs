using Microsoft.Extensions.Diagnostics.HealthChecks;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Readiness: the hub only delivers live events while its pub/sub subscription to
/// <see cref="WorkflowStreams.EventsChannel"/> is confirmed. While the hub starts, the check waits for the first
/// subscription (bounded by the check's timeout, <c>HealthChecks:CheckTimeout</c>); after that it answers at once
/// from the current state, Unhealthy from a drop until the subscription is re-established.
/// </summary>
internal sealed class EventsListenerHealthCheck(EventsListener listener) : IHealthCheck
{
    /// <summary>The check's name in <c>/health</c> and <c>/status</c>.</summary>
    public const string Name = "websockethub-events";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!listener.HasSubscribed)
        {
            try
            {
                await listener.WaitUntilSubscribedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"Not subscribed to {WorkflowStreams.EventsChannel} yet.");
            }
        }

        return listener.IsListening
            ? HealthCheckResult.Healthy($"Subscribed to {WorkflowStreams.EventsChannel}.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"The subscription to {WorkflowStreams.EventsChannel} is down; live events resume (after a re-sync) once it is re-established.");
    }
}
