using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Observability.Worker.Jobs;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Worker.Apis;

/// <summary>
/// <c>POST /api/dead-letters/redrive</c>: every dead-lettered run goes back to the queue (DeadLettered → Queued, then
/// a new job entry through <see cref="RunRequeuer"/>, which continues the run's original trace). The AppHost's
/// "Re-drive dead letters" command on the worker calls it. The dead-letter stream keeps its entries as history.
/// </summary>
internal static class DeadLettersApi
{
    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dead-letters").WithTags("Dead letters");
        api.MapPost("/redrive", RedriveAsync)
            .WithName("RedriveDeadLetters")
            .WithSummary("Queues every dead-lettered run again.");
        return api;
    }

    public static async Task<Ok<RedriveResult>> RedriveAsync(WorkflowsDbContext db, RunRequeuer requeuer, CancellationToken cancellationToken)
    {
        var deadLettered = await db.Runs.AsNoTracking()
            .Where(r => r.Status == WorkflowRunStatus.DeadLettered)
            .Select(r => new { r.Id, r.AttemptCount })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var redriven = new List<Guid>();
        foreach (var run in deadLettered)
        {
            // Compare-and-set: a run another caller re-drove meanwhile is not queued twice.
            var changed = await db.Runs
                .Where(r => r.Id == run.Id && r.Status == WorkflowRunStatus.DeadLettered)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.Status, WorkflowRunStatus.Queued)
                    .SetProperty(r => r.DeadLetterReason, (string?)null)
                    .SetProperty(r => r.StartedAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.CompletedAt, (DateTimeOffset?)null), cancellationToken)
                .ConfigureAwait(false);
            if (changed == 1)
            {
                await requeuer.EnqueueAsync(run.Id, run.AttemptCount + 1, cancellationToken).ConfigureAwait(false);
                redriven.Add(run.Id);
            }
        }

        return TypedResults.Ok(new RedriveResult(redriven.Count, redriven));
    }

    /// <summary>How many runs were queued again, and which.</summary>
    public sealed record RedriveResult(int Redriven, IReadOnlyList<Guid> RunIds);
}
