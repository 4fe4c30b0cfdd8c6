using Microsoft.EntityFrameworkCore;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Outbox;

/// <summary>
/// Publishes unsent outbox messages oldest first. A batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so relays
/// running in several instances take disjoint batches. Delivery is at least once: a crash between publishing and
/// the commit publishes the message again, and consumers are idempotent (a run starts only once).
/// </summary>
public sealed class OutboxRelay(WorkflowsDbContext db, TimeProvider timeProvider)
{
    /// <summary>The largest batch one call claims.</summary>
    public const int MaxBatchSize = 500;

    /// <summary>
    /// Claims up to <paramref name="maxMessages"/> unsent messages and passes each to <paramref name="publish"/> in
    /// order; marks the published ones sent. When a publish throws, the messages before it are still marked sent, the
    /// failing one has its attempt counted, the rest stay for the next call, and the exception propagates.
    /// </summary>
    /// <returns>How many messages were published.</returns>
    public async Task<int> RelayBatchAsync(int maxMessages, Func<OutboxMessage, CancellationToken, Task> publish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxBatchSize);

        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY created_at, id LIMIT {maxMessages} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var sent = new List<Guid>(batch.Count);
            try
            {
                foreach (var message in batch)
                {
                    await publish(message, cancellationToken).ConfigureAwait(false);
                    sent.Add(message.Id);
                }
            }
            catch
            {
                // Record what happened even when the caller is cancelling: the claimed rows are ours until commit.
                await MarkAsync(sent, CancellationToken.None).ConfigureAwait(false);
                var failed = batch[sent.Count].Id;
                await db.OutboxMessages.Where(m => m.Id == failed)
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await MarkAsync(sent, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return sent.Count;
        }
    }

    private async Task MarkAsync(List<Guid> sent, CancellationToken cancellationToken)
    {
        if (sent.Count == 0)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        await db.OutboxMessages.Where(m => sent.Contains(m.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken)
            .ConfigureAwait(false);
    }
}
