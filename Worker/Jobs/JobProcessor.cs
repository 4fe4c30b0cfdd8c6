using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observability.Worker.Engine;
using Observability.Worker.Events;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// Handles one delivered job entry, at least once: continue the trace, give up on poison (too many deliveries, an
/// unreadable message, an unknown run) by dead-lettering it, start the run (compare-and-set Queued → Running; a
/// redelivered entry whose executor died takes a Running run over), execute, acknowledge. An entry whose run is not
/// startable (finished, cancelled, running elsewhere) is acknowledged and skipped. A failure gives the run back
/// (Running → Queued) and leaves the entry pending: it is claimed again after <c>ClaimIdleTime</c> and the run resumes.
/// </summary>
internal sealed class JobProcessor(
    IConnectionMultiplexer redis,
    WorkflowEngine engine,
    RunExecutionStore runs,
    WorkflowEventPublisher publisher,
    IServiceScopeFactory scopes,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    ILogger<JobProcessor> logger)
{
    private readonly JobConsumerOptions _options = options.Value;

    /// <summary>
    /// Processes the entry; true when it was acknowledged (done, skipped or dead-lettered). <paramref name="message"/>:
    /// the entry's job message as <see cref="Parse"/> read it (null: missing or unreadable, dead-lettered).
    /// <paramref name="redelivered"/>: the entry was claimed from another consumer (XAUTOCLAIM), so its delivery count is
    /// read and a Running run is taken over.
    /// </summary>
    public async Task<bool> ProcessAsync(StreamEntry entry, WorkflowJobMessage? message, bool redelivered, CancellationToken cancellationToken)
    {
        using var activity = JobTrace.StartProcess(entry, _options.ConsumerName);
        var deliveries = redelivered ? await DeliveryCountAsync(entry.Id, cancellationToken).ConfigureAwait(false) : 1;
        activity?.SetTag("messaging.redis.delivery_count", deliveries);
        if (deliveries > _options.MaxDeliveries)
        {
            await DeadLetterAsync(entry, message?.RunId, $"Delivered {deliveries} times (Workflows:Worker:MaxDeliveries is {_options.MaxDeliveries}).", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (message is null)
        {
            await DeadLetterAsync(entry, null, "The message field is missing or is not a WorkflowJobMessage.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        activity?.SetTag("workflow.run.id", message.RunId.ToString());

        // The start goes out first: it is the longer round trip and the one the pickup waits for. The read of the run
        // stream's last event (the events continue after it) follows on Redis while PostgreSQL answers the start.
        var start = runs.TryStartAsync(message.RunId, takeOver: redelivered, cancellationToken);
        var lastEvent = publisher.LastEventAsync(message.RunId, cancellationToken);
        RunExecution? run;
        try
        {
            run = await start.ConfigureAwait(false);
        }
        catch (DbException e)
        {
            Fail(activity, entry, deliveries, e);
            return false;
        }

        if (run is null)
        {
            return await SkipAsync(entry, message.RunId, lastEvent, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await engine.ExecuteAsync(run, await lastEvent.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Fail(activity, entry, deliveries, e);

            // Hand the run back so the retry (this entry, claimed later) starts it again and resumes after its plan.
            await ReleaseAsync(run).ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            return false;
        }

        await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The run cannot be started: unknown (dead-letter), or finished, cancelled or running elsewhere (ack).</summary>
    private async Task<bool> SkipAsync(StreamEntry entry, Guid runId, Task<WorkflowEvent?> lastEvent, CancellationToken cancellationToken)
    {
        var status = await runs.GetStatusAsync(runId, cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            await DeadLetterAsync(entry, null, $"Run {runId} does not exist.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (status == WorkflowRunStatus.Cancelled && await lastEvent.ConfigureAwait(false) is var last
            && last?.Type is not (WorkflowEventType.Cancelled or WorkflowEventType.Completed or WorkflowEventType.Failed)
            && await SessionOfAsync(runId, cancellationToken).ConfigureAwait(false) is { } sessionId)
        {
            // Cancelled while queued: nobody executed it, so nobody has said it ended.
            var events = publisher.Open(runId, sessionId, last);
            events.Publish(WorkflowEventType.Cancelled, new CancelledPayload());
            await events.FlushAsync().ConfigureAwait(false);
        }

        WorkerLog.AlreadyStarted(logger, entry.Id.ToString(), runId);
        await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ReleaseAsync(RunExecution run)
    {
        try
        {
            await runs.ReleaseAsync(run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            WorkerLog.ReleaseFailed(logger, run.RunId, e);
        }
    }

    private void Fail(Activity? activity, StreamEntry entry, long deliveries, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        activity?.SetTag("error.type", e.GetType().FullName);
        WorkerLog.JobFailed(logger, entry.Id.ToString(), deliveries, e);
    }

    /// <summary>The entry's job message, or null when it is missing or unreadable.</summary>
    internal static WorkflowJobMessage? Parse(StreamEntry entry)
    {
        if ((string?)entry[WorkflowStreams.MessageField] is not { } json)
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowJobMessage);
            return message is null || message.RunId == Guid.Empty ? null : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<long> DeliveryCountAsync(RedisValue id, CancellationToken cancellationToken)
    {
        var pending = await redis.GetDatabase().StreamPendingMessagesAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, 1, RedisValue.Null, id, id)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return pending.Length == 1 ? pending[0].DeliveryCount : 1;
    }

    private async Task DeadLetterAsync(StreamEntry entry, Guid? runId, string reason, CancellationToken cancellationToken)
    {
        WorkerLog.DeadLettered(logger, entry.Id.ToString(), reason);
        NameValueEntry[] fields = [new("reason", reason), new("original_id", entry.Id), .. entry.Values];
        await redis.GetDatabase().StreamAddAsync(WorkflowStreams.DeadLetters, fields).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (runId is { } id)
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowRunStore>().DeadLetterAsync(id, reason, cancellationToken).ConfigureAwait(false);
            }
        }

        telemetry.RecordDeadLetter();
        await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task AckAsync(RedisValue id, CancellationToken cancellationToken)
        => await redis.GetDatabase().StreamAcknowledgeAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, id).WaitAsync(cancellationToken).ConfigureAwait(false);

    private async Task<string?> SessionOfAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            return await db.Runs.Where(r => r.Id == runId).Select(r => r.SessionId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
