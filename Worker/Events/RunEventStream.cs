using System.Diagnostics;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>
/// One run's events in order. <c>Publish</c> numbers the event, captures the current span's <c>traceparent</c> and
/// writes the event's JSON at once, then queues it for the run's one append loop without making the engine wait for
/// Redis; <see cref="FlushAsync"/> waits for everything published so far. The loop sends one script call at a time (so
/// stream order equals sequence order): the events published while a call is in flight go out together in the next one
/// as soon as it returns (group commit, at most <see cref="MaxEventsPerAppend"/> per call; no timer, so an event never
/// waits longer than it would alone). Thread-safe for parallel steps.
/// </summary>
/// <remarks>
/// The lock only guards the queue: no append is started and no continuation runs while it is held. The publisher that
/// finds no loop running starts one after leaving the lock; the loop ends when it finds the queue empty. A failed append
/// is the publisher's to log and count (<see cref="WorkflowEventPublisher.PublishAsync"/>); an exception it lets through
/// faults that call's events and every later one, as the awaited chain of appends did before the group commit.
/// </remarks>
internal sealed class RunEventStream(WorkflowEventPublisher publisher, Guid runId, string sessionId, WorkflowEvent? lastEvent)
{
    /// <summary>The most events one script call appends (it blocks Redis while it runs).</summary>
    internal const int MaxEventsPerAppend = 32;

    private readonly Lock _lock = new();
    private readonly Queue<Append> _queued = new();
    private long _sequence = lastEvent?.Sequence ?? 0;

    /// <summary>The last queued append while it can take more events; null once the loop took it (or it is full).</summary>
    private Append? _open;

    /// <summary>Completes when the last append queued so far is done.</summary>
    private Task _tail = Task.CompletedTask;

    private bool _appending;
    private Exception? _fault;

    public Guid RunId => runId;

    public string SessionId => sessionId;

    /// <summary>The last event in the run's stream when this execution opened it (null: none, or unreadable).</summary>
    public WorkflowEvent? LastEventBefore => lastEvent;

    /// <summary>Numbers the event and queues its append behind the run's earlier events.</summary>
    public void Publish<TPayload>(WorkflowEventType type, TPayload payload)
        where TPayload : struct, IWorkflowEventPayload => Publish(type, payload, Activity.Current);

    /// <summary>Numbers the event and queues its append, in the trace of <paramref name="span"/>.</summary>
    public void Publish<TPayload>(WorkflowEventType type, TPayload payload, Activity? span)
        where TPayload : struct, IWorkflowEventPayload
    {
        var traceParent = MessageTraceContext.TraceParentOf(span);
        lock (_lock)
        {
            _sequence++;
            var now = publisher.Now();
            var json = WorkflowEventWriter.Write(WorkflowEventIds.New(now), runId, _sequence, type, now, payload);
            if (_fault is not null)
            {
                // An earlier append threw: like the appends chained behind it before, this one is not attempted.
                return;
            }

            if (_open is null)
            {
                _open = new Append();
                _queued.Enqueue(_open);
                _tail = _open.Task;
            }

            _open.Events.Add(new EncodedWorkflowEvent(type, json, traceParent));
            if (_open.Events.Count == MaxEventsPerAppend)
            {
                _open = null;
            }

            if (_appending)
            {
                return;
            }

            _appending = true;
        }

        // This publisher starts the loop, outside the lock; it runs here until its first call waits for Redis.
        _ = AppendQueuedAsync();
    }

    /// <summary>Completes when every event published so far has been appended (or its failure logged).</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            return _tail;
        }
    }

    /// <summary>The run's one append loop: takes the oldest queued call, sends it, completes it, until none is left.</summary>
    private async Task AppendQueuedAsync()
    {
        while (true)
        {
            Append append;
            lock (_lock)
            {
                if (!_queued.TryDequeue(out var next))
                {
                    _appending = false;
                    return;
                }

                // From here on the call is closed: later events wait for it and form the next one.
                append = next;
                if (ReferenceEquals(_open, append))
                {
                    _open = null;
                }
            }

            try
            {
                await publisher.PublishAsync(sessionId, runId, append.Events).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Fault(append, e);
                return;
            }

            append.SetResult();
        }
    }

    private void Fault(Append failed, Exception exception)
    {
        List<Append> abandoned;
        lock (_lock)
        {
            _fault = exception;
            _open = null;
            abandoned = [.. _queued];
            _queued.Clear();
            _tail = Task.FromException(exception);
            _appending = false;
        }

        failed.SetException(exception);
        foreach (var append in abandoned)
        {
            append.SetException(exception);
        }
    }

    /// <summary>One script call's events; its task completes (never inline) when the call returned.</summary>
    private sealed class Append() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public List<EncodedWorkflowEvent> Events { get; } = new(4);
    }
}
