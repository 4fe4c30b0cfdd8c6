using Microsoft.EntityFrameworkCore;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Steps;

/// <summary>
/// The Worker's step state changes, each a compare-and-set on the step's status: Pending → Running once, then
/// Running → Completed (with tokens and cost, also added to the run's totals) or Failed (with the error).
/// Pending → Skipped when a dependency failed. Each returns whether this caller changed the step.
/// </summary>
public sealed class WorkflowStepStore(WorkflowsDbContext db, TimeProvider timeProvider)
{
    public async Task<bool> TryStartAsync(Guid runId, string stepKey, CancellationToken cancellationToken = default)
    {
        var now = Now();
        return await Step(runId, stepKey, WorkflowStepStatus.Pending).ExecuteUpdateAsync(
            set => set.SetProperty(s => s.Status, WorkflowStepStatus.Running).SetProperty(s => s.StartedAt, now),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Running → Completed; the step's tokens and cost are added to its run in the same transaction.</summary>
    public async Task<bool> CompleteAsync(Guid runId, string stepKey, long inputTokens, long outputTokens, decimal cost, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var updated = await Step(runId, stepKey, WorkflowStepStatus.Running).ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, WorkflowStepStatus.Completed)
                    .SetProperty(s => s.CompletedAt, now)
                    .SetProperty(s => s.InputTokens, inputTokens)
                    .SetProperty(s => s.OutputTokens, outputTokens)
                    .SetProperty(s => s.Cost, cost),
                cancellationToken).ConfigureAwait(false);
            if (updated != 1)
            {
                return false;
            }

            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.InputTokens, r => r.InputTokens + inputTokens)
                    .SetProperty(r => r.OutputTokens, r => r.OutputTokens + outputTokens)
                    .SetProperty(r => r.Cost, r => r.Cost + cost),
                cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public async Task<bool> FailAsync(Guid runId, string stepKey, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var now = Now();
        return await Step(runId, stepKey, WorkflowStepStatus.Running).ExecuteUpdateAsync(
            set => set.SetProperty(s => s.Status, WorkflowStepStatus.Failed).SetProperty(s => s.CompletedAt, now).SetProperty(s => s.Error, error),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> SkipAsync(Guid runId, string stepKey, CancellationToken cancellationToken = default)
        => await Step(runId, stepKey, WorkflowStepStatus.Pending).ExecuteUpdateAsync(
            set => set.SetProperty(s => s.Status, WorkflowStepStatus.Skipped),
            cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The run's steps, ordered by step key.</summary>
    public async Task<IReadOnlyList<WorkflowStep>> ListAsync(Guid runId, CancellationToken cancellationToken = default)
        => await db.Steps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.StepKey)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    private IQueryable<WorkflowStep> Step(Guid runId, string stepKey, WorkflowStepStatus from)
        => db.Steps.Where(s => s.RunId == runId && s.StepKey == stepKey && s.Status == from);

    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
