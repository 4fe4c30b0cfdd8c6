using System.Text.Json.Nodes;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>One run's events in order: each gets the next sequence number (thread-safe for parallel steps).</summary>
internal sealed class RunEventStream(WorkflowEventPublisher publisher, Guid runId, string sessionId, WorkflowEvent? lastEvent) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _sequence = lastEvent?.Sequence ?? 0;

    public Guid RunId => runId;

    public string SessionId => sessionId;

    /// <summary>The last event in the run's stream when this execution opened it (null: none, or unreadable).</summary>
    public WorkflowEvent? LastEventBefore => lastEvent;

    /// <summary>Publishes the next event; sequence order equals stream order because publishing is serialised.</summary>
    public async Task PublishAsync(WorkflowEventType type, JsonObject? payload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sequence++;
            var now = publisher.Now();
            var workflowEvent = new WorkflowEvent(
                Guid.CreateVersion7(now),
                runId,
                _sequence,
                type,
                now,
                payload is null ? null : WorkflowEventPublisher.ToPayload(payload));
            await publisher.PublishAsync(sessionId, workflowEvent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
