using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// Gives a run back to the queue: Running → Queued (compare-and-set on the start time the caller saw; a planned run
/// resumes after its plan when started again), and a new job entry that continues the run's original trace.
/// PostgreSQL stays the truth: a duplicate entry is skipped by the start compare-and-set.
/// </summary>
internal sealed class RunRequeuer(IServiceScopeFactory scopes, RunExecutionStore runs, IConnectionMultiplexer redis)
{
    /// <summary>The span of a re-enqueue, a producer on the job stream.</summary>
    public const string PublishSpanName = WorkflowStreams.Jobs + " publish";

    /// <summary>
    /// Running → Queued; with <paramref name="startedAt"/>, only if it still has that start time (nobody restarted it
    /// meanwhile). True when this caller changed it.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid runId, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var query = db.Runs.Where(r => r.Id == runId && r.Status == WorkflowRunStatus.Running);
            if (startedAt is { } seen)
            {
                query = query.Where(r => r.StartedAt == seen);
            }

            return await query
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, WorkflowRunStatus.Queued).SetProperty(r => r.StartedAt, (DateTimeOffset?)null), cancellationToken)
                .ConfigureAwait(false) == 1;
        }
    }

    /// <summary>
    /// Adds a job entry for the run. Its span (<see cref="PublishSpanName"/>) continues the run's original trace (the
    /// <c>traceparent</c> and <c>baggage</c> stored with the run at submit) and links to the caller's span (the sweep or
    /// reconciliation that re-enqueued it); the entry carries that span's context, so the consumer's span joins the
    /// run's trace too.
    /// </summary>
    public async Task EnqueueAsync(Guid runId, int attempt, CancellationToken cancellationToken)
    {
        var original = await runs.GetTraceContextAsync(runId, cancellationToken).ConfigureAwait(false);
        var links = Activity.Current is { } caller ? new[] { new ActivityLink(caller.Context) } : null;
        var parent = MessageTraceContext.Extract(original.TraceParent, null).ActivityContext;
        using var activity = WorkerTelemetry.Source.StartActivity(PublishSpanName, ActivityKind.Producer, parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", WorkflowStreams.Jobs);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "publish");
            activity.SetTag("workflow.run.id", runId.ToString());
        }

        var traceParent = MessageTraceContext.TraceParentOf(Activity.Current) ?? original.TraceParent;
        var json = JsonSerializer.Serialize(new WorkflowJobMessage(runId, attempt, traceParent, original.Baggage), WorkflowsJsonContext.Default.WorkflowJobMessage);
        var fields = new List<NameValueEntry> { new(WorkflowStreams.MessageField, json) };
        if (traceParent is not null)
        {
            fields.Add(new(WorkflowStreams.TraceParentField, traceParent));
        }

        if (original.Baggage is not null)
        {
            fields.Add(new(WorkflowStreams.BaggageField, original.Baggage));
        }

        var id = await redis.GetDatabase().StreamAddAsync(WorkflowStreams.Jobs, fields.ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
        activity?.SetTag("messaging.message.id", id.ToString());
    }
}
