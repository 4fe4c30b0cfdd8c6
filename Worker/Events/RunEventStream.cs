using System.Diagnostics;
using System.Text.Json.Nodes;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>
/// One run's events in order. <c>Publish</c> numbers the event, captures the current span's <c>traceparent</c> and
/// writes the event's JSON at once, then appends it after the previous append finished (so stream order equals
/// sequence order) without making the engine wait for Redis; <see cref="FlushAsync"/> waits for everything published
/// so far. Events published while an append is in flight wait together and go out in one script call as soon as it
/// finishes (at most <see cref="MaxEventsPerAppend"/>): no timer, so an event never waits longer than it would alone.
/// Thread-safe for parallel steps.
/// </summary>
internal sealed class RunEventStream(WorkflowEventPublisher publisher, Guid runId, string sessionId, WorkflowEvent? lastEvent)
{
    /// <summary>The most events one script call appends (it blocks Redis while it runs).</summary>
    internal const int MaxEventsPerAppend = 32;

    private readonly Lock _lock = new();
    private long _sequence = lastEvent?.Sequence ?? 0;

    /// <summary>The events waiting for the append in flight; null when none wait (the next event starts a new call).</summary>
    private List<EncodedWorkflowEvent>? _waiting;

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
            var encoded = new EncodedWorkflowEvent(type, json, traceParent);
            if (_waiting is { Count: < MaxEventsPerAppend } waiting)
            {
                waiting.Add(encoded);
                return;
            }

            var batch = new List<EncodedWorkflowEvent>(4) { encoded };
            _waiting = batch;
            _tail = AppendAfterAsync(_tail, batch);
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

    private async Task AppendAfterAsync(Task previous, List<EncodedWorkflowEvent> batch)
    {
        await previous.ConfigureAwait(false);
        lock (_lock)
        {
            // From here on the batch is closed: later events wait for this call and form the next one.
            if (ReferenceEquals(_waiting, batch))
            {
                _waiting = null;
            }
        }

        await publisher.PublishAsync(sessionId, runId, batch).ConfigureAwait(false);
    }
}
