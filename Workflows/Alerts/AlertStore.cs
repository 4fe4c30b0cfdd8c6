using Microsoft.EntityFrameworkCore;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Alerts;

/// <summary>Records threshold alerts and reads the latest ones.</summary>
public sealed class AlertStore(WorkflowsDbContext db, TimeProvider timeProvider)
{
    /// <summary>The most alerts <see cref="ListRecentAsync"/> returns.</summary>
    public const int MaxListed = 500;

    public async Task<Alert> RecordAsync(Guid? runId, AlertKind kind, double threshold, double observedValue, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var alert = new Alert
        {
            Id = Guid.CreateVersion7(now),
            RunId = runId,
            Kind = kind,
            Threshold = threshold,
            ObservedValue = observedValue,
            CreatedAt = now,
        };
        db.Alerts.Add(alert);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return alert;
    }

    /// <summary>The newest alerts first, at most <paramref name="count"/> (1 to <see cref="MaxListed"/>).</summary>
    public async Task<IReadOnlyList<Alert>> ListRecentAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxListed);
        return await db.Alerts.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
