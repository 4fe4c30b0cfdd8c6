using System.Text.Json;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Events;

/// <summary>
/// Publishes a run's <see cref="WorkflowEvent"/>s through the shared <see cref="WorkflowEventLog"/> (one script call
/// appends one or more events of a run to its and the session's bounded streams and publishes each on
/// <see cref="WorkflowStreams.EventsChannel"/>), each with the W3C <c>traceparent</c> of the span that published it so
/// that the hub's delivery continues the run's trace. A failed append is logged and counted, never thrown: PostgreSQL
/// holds the run's truth. Open one <see cref="RunEventStream"/> per execution of a run.
/// </summary>
internal sealed class WorkflowEventPublisher(
    WorkflowEventLog log,
    IConnectionMultiplexer redis,
    WorkerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<WorkflowEventPublisher> logger)
{
    /// <summary>
    /// Opens the run's event sequence, continuing after <paramref name="lastEvent"/>, the last event already in its
    /// stream (<see cref="LastEventAsync"/>): a run executed again keeps numbering where the earlier execution stopped.
    /// </summary>
    public RunEventStream Open(Guid runId, string sessionId, WorkflowEvent? lastEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return new RunEventStream(this, runId, sessionId, lastEvent);
    }

    /// <summary>The last event in the run's stream; null when there is none or Redis cannot say.</summary>
    public async Task<WorkflowEvent?> LastEventAsync(Guid runId, CancellationToken cancellationToken)
    {
        try
        {
            var last = await redis.GetDatabase().StreamRangeAsync(WorkflowStreams.Events(runId), count: 1, messageOrder: Order.Descending)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return last.Length == 1 && (byte[]?)last[0][WorkflowStreams.EventField] is { } json
                ? JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowEvent)
                : null;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or JsonException)
        {
            // Numbering restarts at 1; the events still carry their run, type and time.
            WorkerLog.EventStreamUnreadable(logger, runId, e);
            return null;
        }
    }

    /// <summary>Appends <paramref name="events"/> of one run in one script call; never throws (a failure is logged and counted).</summary>
    internal async Task PublishAsync(string sessionId, Guid runId, IReadOnlyList<EncodedWorkflowEvent> events)
    {
        try
        {
            // Not cancelled with the job: the client's command timeout bounds it, and a stopping worker still reports.
            await log.AppendBatchAsync(sessionId, runId, events, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or ObjectDisposedException)
        {
            // Events are a view of the run; PostgreSQL holds its truth. A lost event must not fail the run.
            foreach (var workflowEvent in events)
            {
                telemetry.EventPublishFailures.Add(1, new KeyValuePair<string, object?>("workflow.event.type", workflowEvent.Type.ToString()));
                WorkerLog.PublishFailed(logger, runId, workflowEvent.Type.ToString(), e);
            }
        }
    }

    internal DateTimeOffset Now() => timeProvider.GetUtcNow();
}
