
namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Fills the gap after this instance's pub/sub subscription was re-established: events published while it was down
/// never arrive live, so every local subscription buffers live events again, replays its stream after the last id it
/// sent, then goes live (no gap, no duplicate). A replay that fails (Redis unreachable) is retried with backoff until
/// it succeeds, the subscription ends or the hub stops; meanwhile live events wait in the subscription's buffer. (So does one
/// whose <c>truncated</c> frame needs the run's state and PostgreSQL does not answer.)
/// </summary>
internal sealed class SubscriptionResync(
    SubscriptionRouter router,
    StreamReplayer replayer,
    TimeProvider timeProvider,
    ILogger<SubscriptionResync> logger)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Switches every live subscription to buffering now (call it before dispatching any message received after the
    /// re-establishment), then replays each in the background. Returns how many subscriptions re-sync.
    /// </summary>
    public int ResyncAll(CancellationToken stoppingToken)
    {
        var count = 0;
        foreach (var subscription in router.All())
        {
            if (subscription.Resync())
            {
                count++;
                _ = ReplayAsync(subscription, stoppingToken);
            }
        }

        return count;
    }

    /// <summary>
    /// Re-syncs <paramref name="subscription"/> alone after <paramref name="delay"/>, in the background: the replay asked
    /// to look again (<see cref="Subscription.RequestRecheck"/>) once an event still on its way should have arrived.
    /// </summary>
    public void ResyncLater(Subscription subscription, TimeSpan delay, CancellationToken cancellationToken) =>
        _ = ResyncLaterAsync(subscription, delay, cancellationToken);

    private async Task ResyncLaterAsync(Subscription subscription, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (subscription.Resync())
        {
            await ReplayAsync(subscription, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReplayAsync(Subscription subscription, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested && !subscription.IsClosed)
        {
            try
            {
                await replayer.CatchUpAsync(subscription, sendSubscribed: false, stoppingToken).ConfigureAwait(false);
                if (subscription.TakeRecheck() is { } recheck)
                {
                    ResyncLater(subscription, recheck, stoppingToken);
                }

                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or Npgsql.NpgsqlException or TimeoutException)
            {
                HubLog.ResyncFailed(logger, e, subscription.Key.StreamKey, subscription.Connection.Id, delay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                // The hub is shutting down and its Redis client is gone.
                return;
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }
}
