using System.Text.Json.Nodes;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>One run's events in order: each gets the next sequence number (thread-safe for parallel steps).</summary>
internal sealed class RunEventStream(WorkflowEventPublisher publisher, Guid runId, long lastSequence) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _sequence = lastSequence;

    public Guid RunId => runId;

    /// <summary>Publishes the next event; sequence order equals stream order because publishing is serialised.</summary>
    public async Task PublishAsync(WorkflowEventType type, JsonObject? payload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sequence++;
            var workflowEvent = new WorkflowEvent(
                Guid.CreateVersion7(publisher.Now()),
                runId,
                _sequence,
                type,
                publisher.Now(),
                payload is null ? null : WorkflowEventPublisher.ToPayload(payload));
            await publisher.PublishAsync(workflowEvent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
