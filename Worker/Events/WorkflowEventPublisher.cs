using System.Text.Json;
using System.Text.Json.Nodes;
using Observability.Redis;
using Observability.Redis.Streams;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Events;

/// <summary>
/// Publishes a run's <see cref="WorkflowEvent"/>s: appended to the run's bounded stream
/// (<see cref="WorkflowStreams.Events"/>, for replay) and published on <see cref="WorkflowStreams.EventsChannel"/>
/// (for live delivery). Open one <see cref="RunEventStream"/> per execution of a run.
/// </summary>
internal sealed class WorkflowEventPublisher(RedisClient redis, TimeProvider timeProvider, ILogger<WorkflowEventPublisher> logger)
{
    /// <summary>Entries kept per run stream (XADD MAXLEN ~).</summary>
    public const long MaxEventsPerRun = 1000;

    /// <summary>Opens the run's event sequence, continuing after the last event already in its stream.</summary>
    public async Task<RunEventStream> OpenAsync(Guid runId, CancellationToken cancellationToken)
    {
        var last = await redis.XRevRangeAsync(WorkflowStreams.Events(runId), count: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        long sequence = 0;
        if (last.Count == 1 && last[0][WorkflowStreams.EventField] is { } json)
        {
            try
            {
                sequence = JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowEvent)?.Sequence ?? 0;
            }
            catch (JsonException)
            {
                sequence = 0;
            }
        }

        return new RunEventStream(this, runId, sequence);
    }

    internal async Task PublishAsync(WorkflowEvent workflowEvent, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(workflowEvent, WorkflowsJsonContext.Default.WorkflowEvent);
        try
        {
            await redis.XAddAsync(WorkflowStreams.Events(workflowEvent.RunId), [new RedisStreamField(WorkflowStreams.EventField, json)], MaxEventsPerRun, cancellationToken).ConfigureAwait(false);
            await redis.PublishAsync(WorkflowStreams.EventsChannel, json, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            // Events are a view of the run; PostgreSQL holds its truth. A lost event must not fail the run.
            WorkerLog.PublishFailed(logger, workflowEvent.RunId, workflowEvent.Type.ToString(), e);
        }
    }

    internal DateTimeOffset Now() => timeProvider.GetUtcNow();

    internal static JsonElement ToPayload(JsonObject payload) => JsonDocument.Parse(payload.ToJsonString()).RootElement.Clone();
}
