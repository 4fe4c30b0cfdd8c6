using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using System.Diagnostics;
using Observability.Worker.Monitoring;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// PostgreSQL is the truth: every <c>Workflows:Worker:SweepInterval</c>, runs Queued or Running for longer than
/// <c>StuckRunTimeout</c> get a new job entry (a Running run is first set back to Queued; once started again it
/// resumes after its recorded plan). Each pass is a <c>workflow.sweep</c> span; each re-enqueue continues the run's
/// original trace and links to it.
/// </summary>
internal sealed class StuckRunSweeper(
    IServiceScopeFactory scopes,
    RunRequeuer requeuer,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<StuckRunSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private readonly JobConsumerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or RedisTimeoutException or DbUpdateException or Npgsql.NpgsqlException or TimeoutException)
                {
                    WorkerLog.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass; returns how many runs were re-enqueued or dead-lettered.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() - _options.StuckRunTimeout;
        List<WorkflowRun> stuck;
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            stuck = await db.Runs.AsNoTracking()
                .Where(r => (r.Status == WorkflowRunStatus.Queued && r.CreatedAt < deadline)
                    || (r.Status == WorkflowRunStatus.Running && r.StartedAt < deadline))
                .OrderBy(r => r.CreatedAt)
                .Take(BatchSize)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        if (stuck.Count == 0)
        {
            return 0;
        }

        using var activity = WorkerTelemetry.Source.StartActivity("workflow.sweep", ActivityKind.Internal, default(ActivityContext));
        activity?.SetTag("workflow.sweep.stuck_runs", stuck.Count);
        var handled = 0;
        foreach (var run in stuck)
        {
            if (run.Status == WorkflowRunStatus.Running && !await requeuer.ReleaseAsync(run.Id, run.StartedAt, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await requeuer.EnqueueAsync(run.Id, run.AttemptCount + 1, cancellationToken).ConfigureAwait(false);
            WorkerLog.Requeued(logger, run.Id, run.Status.ToString());
            handled++;
        }

        return handled;
    }
}
