using Microsoft.EntityFrameworkCore;
using Observability.Redis;
using Observability.Redis.Streams;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Worker.Jobs;

/// <summary>
/// Gives a run back to the queue: Running → Queued (compare-and-set on the start time the caller saw), and a new job
/// entry for runs whose entry may be lost. PostgreSQL stays the truth: a duplicate entry is skipped by the start CAS.
/// </summary>
internal sealed class RunRequeuer(IServiceScopeFactory scopes, RedisClient redis)
{
    /// <summary>
    /// Running → Queued for a run abandoned before its plan was recorded (a planned run has steps and cannot restart);
    /// with <paramref name="startedAt"/>, only if it still has that start time. True when this caller changed it.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid runId, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var query = db.Runs.Where(r => r.Id == runId && r.Status == WorkflowRunStatus.Running && r.Plan == null);
            if (startedAt is { } seen)
            {
                query = query.Where(r => r.StartedAt == seen);
            }

            return await query
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, WorkflowRunStatus.Queued).SetProperty(r => r.StartedAt, (DateTimeOffset?)null), cancellationToken)
                .ConfigureAwait(false) == 1;
        }
    }

    /// <summary>Adds a job entry for the run (a new attempt, no parent trace: the request that started it is long gone).</summary>
    public async Task EnqueueAsync(Guid runId, int attempt, CancellationToken cancellationToken)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new WorkflowJobMessage(runId, attempt, null, null), WorkflowsJsonContext.Default.WorkflowJobMessage);
        await redis.XAddAsync(WorkflowStreams.Jobs, [new RedisStreamField(WorkflowStreams.MessageField, json)], cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
