using Microsoft.EntityFrameworkCore;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Outbox;

/// <summary>
/// Publishes outbox messages oldest first and deletes each one published, in the transaction that claimed it, so the
/// table holds only what is still to be sent (the run's row is the record; the message only carries it to the stream).
/// A batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so relays running in several instances take disjoint
/// batches. Delivery is at least once: a crash between publishing and the commit publishes the message again, and
/// consumers are idempotent (a run starts only once).
/// </summary>
public sealed class OutboxRelay(WorkflowsDbContext db)
{
    /// <summary>The largest batch one call claims.</summary>
    public const int MaxBatchSize = 500;

    /// <summary>
    /// Claims up to <paramref name="maxMessages"/> messages and passes each to <paramref name="publish"/> in
    /// order; deletes the published ones. When a publish throws, the messages before it are still deleted, the
    /// failing one has its attempt counted, the rest stay for the next call, and the exception propagates.
    /// </summary>
    /// <returns>How many messages were published.</returns>
    public Task<int> RelayBatchAsync(int maxMessages, Func<OutboxMessage, CancellationToken, Task> publish, CancellationToken cancellationToken = default)
        => RelayBatchAsync(maxMessages, maxConcurrentPublishes: 1, publish, cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxMessages"/> messages and publishes them in order, with up to
    /// <paramref name="maxConcurrentPublishes"/> publishes in flight (a pipelining client then sends them in one
    /// write instead of waiting a round trip for each); deletes the published ones. When publishes fail, every
    /// message published before is still deleted, each failed one has its attempt counted, messages not yet
    /// started stay for the next call, and the first failure propagates. One publish at a time behaves exactly as
    /// <see cref="RelayBatchAsync(int, Func{OutboxMessage, CancellationToken, Task}, CancellationToken)"/>.
    /// </summary>
    /// <param name="maxMessages">The most messages claimed.</param>
    /// <param name="maxConcurrentPublishes">The most publishes in flight at once.</param>
    /// <param name="publish">Publishes one message.</param>
    /// <param name="cancellationToken">Cancels the claim, the publishes and the deletion.</param>
    /// <returns>How many messages were published.</returns>
    public async Task<int> RelayBatchAsync(
        int maxMessages,
        int maxConcurrentPublishes,
        Func<OutboxMessage, CancellationToken, Task> publish,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentPublishes, 1);

        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var batch = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages ORDER BY created_at, id LIMIT {maxMessages} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var sent = new List<Guid>(batch.Count);
            var failed = new List<Guid>();
            Exception? failure = null;
            var tasks = new Task[Math.Min(maxConcurrentPublishes, Math.Max(batch.Count, 1))];
            for (var start = 0; start < batch.Count && failure is null; start += tasks.Length)
            {
                var count = Math.Min(tasks.Length, batch.Count - start);
                for (var i = 0; i < count; i++)
                {
                    tasks[i] = Start(publish, batch[start + i], cancellationToken);
                }

                for (var i = 0; i < count; i++)
                {
                    try
                    {
                        await tasks[i].ConfigureAwait(false);
                        sent.Add(batch[start + i].Id);
                    }
                    catch (Exception exception)
                    {
                        failure ??= exception;
                        failed.Add(batch[start + i].Id);
                    }
                }
            }

            if (failure is not null)
            {
                // Record what happened even when the caller is cancelling: the claimed rows are ours until commit.
                await DeleteAsync(sent, CancellationToken.None).ConfigureAwait(false);
                await db.OutboxMessages.Where(m => failed.Contains(m.Id))
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            await DeleteAsync(sent, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return sent.Count;
        }
    }

    /// <summary>Starts one publish; a publisher that throws before returning its task counts as a failed publish.</summary>
    private static Task Start(Func<OutboxMessage, CancellationToken, Task> publish, OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return publish(message, cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private async Task DeleteAsync(List<Guid> sent, CancellationToken cancellationToken)
    {
        if (sent.Count == 0)
        {
            return;
        }

        await db.OutboxMessages.Where(m => sent.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
