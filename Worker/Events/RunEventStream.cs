using System.Diagnostics;
using System.Text.Json.Nodes;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>
/// One run's events in order. <c>Publish</c> numbers the event, captures the current span's <c>traceparent</c> and
/// writes the event's JSON at once, then appends it after the previous one finished (so stream order equals sequence
/// order) without making the engine wait for Redis; <see cref="FlushAsync"/> waits for everything published so far.
/// Thread-safe for parallel steps.
/// </summary>
internal sealed class RunEventStream(WorkflowEventPublisher publisher, Guid runId, string sessionId, WorkflowEvent? lastEvent)
{
    private readonly Lock _lock = new();
    private long _sequence = lastEvent?.Sequence ?? 0;
    private Task _tail = Task.CompletedTask;

    public Guid RunId => runId;

    public string SessionId => sessionId;

    /// <summary>The last event in the run's stream when this execution opened it (null: none, or unreadable).</summary>
    public WorkflowEvent? LastEventBefore => lastEvent;

    /// <summary>Numbers the event and queues its append behind the run's earlier events.</summary>
    public void Publish(WorkflowEventType type, JsonObject? payload) => Publish(type, payload, Activity.Current);

    /// <summary>Numbers the event and queues its append, in the trace of <paramref name="span"/>.</summary>
    public void Publish(WorkflowEventType type, JsonObject? payload, Activity? span)
    {
        var traceParent = MessageTraceContext.TraceParentOf(span);
        lock (_lock)
        {
            _sequence++;
            var now = publisher.Now();
            var json = WorkflowEventWriter.Write(Guid.CreateVersion7(now), runId, _sequence, type, now, payload);
            _tail = AppendAfterAsync(_tail, new EncodedWorkflowEvent(type, json, traceParent));
        }
    }

    /// <summary>Completes when every event published so far has been appended (or its failure logged).</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            return _tail;
        }
    }

    private async Task AppendAfterAsync(Task previous, EncodedWorkflowEvent workflowEvent)
    {
        await previous.ConfigureAwait(false);
        await publisher.PublishAsync(sessionId, runId, [workflowEvent]).ConfigureAwait(false);
    }
}
