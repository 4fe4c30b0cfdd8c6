using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observability.Redis;
using Observability.Redis.Streams;
using Observability.Worker.Engine;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Worker.Jobs;

/// <summary>
/// Handles one delivered job entry, at least once: continue the trace, give up on poison (too many deliveries, an
/// unreadable message, an unknown run) by dead-lettering it, win the Queued → Running compare-and-set (or ack and
/// skip: another delivery already ran it), execute, acknowledge. A failure leaves the entry pending for a retry.
/// </summary>
internal sealed class JobProcessor(
    RedisClient redis,
    WorkflowEngine engine,
    RunRequeuer requeuer,
    IServiceScopeFactory scopes,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    ILogger<JobProcessor> logger)
{
    private readonly JobConsumerOptions _options = options.Value;

    /// <summary>Processes the entry; true when it was acknowledged (done, skipped or dead-lettered).</summary>
    public async Task<bool> ProcessAsync(RedisStreamEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var activity = JobTrace.StartProcess(entry, _options.ConsumerName);
        var deliveries = await DeliveryCountAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("messaging.redis.delivery_count", deliveries);
        var message = Parse(entry);
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
        bool started;
        try
        {
            started = await WithStoreAsync(store => store.TryStartAsync(message.RunId, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(activity, entry, deliveries, e);
            return false;
        }

        if (!started)
        {
            if (!await RunExistsAsync(message.RunId, cancellationToken).ConfigureAwait(false))
            {
                await DeadLetterAsync(entry, null, $"Run {message.RunId} does not exist.", cancellationToken).ConfigureAwait(false);
                return true;
            }

            WorkerLog.AlreadyStarted(logger, entry.Id, message.RunId);
            await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            return true;
        }

        try
        {
            await engine.ExecuteAsync(message.RunId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Fail(activity, entry, deliveries, e);

            // Hand the run back so the retry (this entry, claimed later) can start it again.
            await requeuer.ReleaseAsync(message.RunId, null, CancellationToken.None).ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            return false;
        }

        await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void Fail(Activity? activity, RedisStreamEntry entry, long deliveries, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        activity?.SetTag("error.type", e.GetType().FullName);
        WorkerLog.JobFailed(logger, entry.Id, deliveries, e);
    }

    private static WorkflowJobMessage? Parse(RedisStreamEntry entry)
    {
        if (entry[WorkflowStreams.MessageField] is not { } json)
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

    private async Task<long> DeliveryCountAsync(string id, CancellationToken cancellationToken)
    {
        var pending = await redis.XPendingRangeAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, 1, id, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pending.Count == 1 ? pending[0].DeliveryCount : 1;
    }

    private async Task DeadLetterAsync(RedisStreamEntry entry, Guid? runId, string reason, CancellationToken cancellationToken)
    {
        WorkerLog.DeadLettered(logger, entry.Id, reason);
        var fields = new List<RedisStreamField>(entry.Fields.Count + 2)
        {
            new("reason", reason),
            new("original_id", entry.Id),
        };
        fields.AddRange(entry.Fields.Select(f => new RedisStreamField(f.Key, f.Value)));
        await redis.XAddAsync(WorkflowStreams.DeadLetters, fields.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (runId is { } id)
        {
            await WithStoreAsync(store => store.DeadLetterAsync(id, reason, cancellationToken)).ConfigureAwait(false);
        }

        telemetry.DeadLetters.Add(1);
        await AckAsync(entry.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task AckAsync(string id, CancellationToken cancellationToken)
        => await redis.XAckAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, [id], cancellationToken).ConfigureAwait(false);

    private async Task<bool> RunExistsAsync(Guid runId, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().Runs.AnyAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> WithStoreAsync<T>(Func<WorkflowRunStore, Task<T>> action)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await action(scope.ServiceProvider.GetRequiredService<WorkflowRunStore>()).ConfigureAwait(false);
        }
    }
}
