using System.Diagnostics;
using Observability.Redis;
using Observability.Redis.PubSub;
using Observability.WebSocketHub.Telemetry;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// This instance's one subscription to <see cref="WorkflowStreams.EventsChannel"/> (the Redis client subscribes
/// again after a reconnect). Each published event is routed to the local subscriptions of its run and its session,
/// inside a <c>workflows.events process</c> consumer span that continues the publisher's trace. When the Redis client
/// reports that the subscription was re-established after a drop, every local subscription re-syncs from its stream
/// (<see cref="SubscriptionResync"/>) before any event received after the re-establishment reaches it.
/// </summary>
internal sealed class EventsListener(
    RedisClient redis,
    SubscriptionRouter router,
    SubscriptionResync resync,
    TimeProvider timeProvider,
    ILogger<EventsListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RedisSubscription? _subscription;

    /// <summary>Whether live events flow now: the pub/sub subscription is confirmed on the open connection.</summary>
    public bool IsListening => _subscription is { IsEstablished: true };

    /// <summary>Whether the pub/sub subscription was ever established (false only while the hub starts).</summary>
    public bool HasSubscribed => _subscribed.Task.IsCompleted;

    /// <summary>Completes once live events flow; a subscription registered after that misses none.</summary>
    public Task WaitUntilSubscribedAsync(CancellationToken cancellationToken) => _subscribed.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            RedisSubscription subscription;
            try
            {
                subscription = await redis.SubscribeAsync(WorkflowStreams.EventsChannel, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                HubLog.ListenerSubscribeFailed(logger, e, WorkflowStreams.EventsChannel, backoff);
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }

            await using (subscription.ConfigureAwait(false))
            {
                HubLog.ListenerSubscribed(logger, WorkflowStreams.EventsChannel);
                _subscription = subscription;
                _subscribed.TrySetResult();
                try
                {
                    await ListenAsync(subscription, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    _subscription = null;
                }
            }
        }
    }

    /// <summary>
    /// Dispatches messages until the subscription ends. Before each message (and whenever the client signals one) it
    /// checks whether the subscription was re-established meanwhile: the Redis client raises the count before it
    /// queues any message of the new connection, so every such message finds the subscriptions already re-syncing.
    /// </summary>
    private async Task ListenAsync(RedisSubscription subscription, CancellationToken stoppingToken)
    {
        var handled = subscription.Reestablishments;
        var droppedHandled = subscription.Dropped;
        var messages = subscription.Messages;
        Task<bool>? reestablished = null;
        while (true)
        {
            handled = ResyncIfReestablished(subscription, handled, stoppingToken);
            if (messages.TryRead(out var message))
            {
                // Read the count after the message: one queued by a new connection was queued after the count moved.
                handled = ResyncIfReestablished(subscription, handled, stoppingToken);
                droppedHandled = ResyncIfDropped(subscription, droppedHandled, stoppingToken);
                Dispatch(message);
                continue;
            }

            var waiting = messages.WaitToReadAsync(stoppingToken).AsTask();
            if (!waiting.IsCompleted)
            {
                reestablished ??= subscription.Reestablished.WaitToReadAsync(stoppingToken).AsTask();
                await Task.WhenAny(waiting, reestablished).ConfigureAwait(false);
                if (reestablished.IsCompleted)
                {
                    reestablished = null;
                }

                if (!waiting.IsCompleted)
                {
                    continue;
                }
            }

            if (!await waiting.ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Re-syncs every local subscription when the count moved past <paramref name="handled"/>; returns the count now handled.</summary>
    private long ResyncIfReestablished(RedisSubscription subscription, long handled, CancellationToken stoppingToken)
    {
        var count = subscription.Reestablishments;
        if (count == handled)
        {
            return handled;
        }

        while (subscription.Reestablished.TryRead(out _))
        {
        }

        HubLog.ListenerReestablished(logger, WorkflowStreams.EventsChannel, resync.ResyncAll(stoppingToken));
        return count;
    }

    /// <summary>
    /// Re-syncs every local subscription when the client dropped messages this listener had not read yet (it fell
    /// <see cref="RedisPubSubCommands.DefaultCapacity"/> messages behind): the dropped events are in the streams, so the
    /// re-sync replays them and the id dedupe skips what was already sent.
    /// </summary>
    private long ResyncIfDropped(RedisSubscription subscription, long handled, CancellationToken stoppingToken)
    {
        var dropped = subscription.Dropped;
        if (dropped == handled)
        {
            return handled;
        }

        HubLog.ListenerFellBehind(logger, WorkflowStreams.EventsChannel, dropped - handled, resync.ResyncAll(stoppingToken));
        return dropped;
    }

    /// <summary>Routes one channel message; internal so the benchmark can measure it alone.</summary>
    internal int Dispatch(RedisPubSubMessage message)
    {
        var live = LiveEvent.From(WorkflowEventLog.ParsePublished(message.Payload.Span));
        if (live is null)
        {
            HubLog.UnreadableEvent(logger, message.Channel, message.Payload.Length);
            return 0;
        }

        var published = live.Published;
        var (runSubscriptions, sessionSubscriptions) = router.Find(published.Event.RunId, published.SessionId);
        if (runSubscriptions.Length == 0 && sessionSubscriptions.Length == 0)
        {
            return 0;
        }

        ActivityContext.TryParse(published.TraceParent, null, isRemote: true, out var parent);
        using var activity = HubTelemetry.Source.StartActivity($"{WorkflowStreams.EventsChannel} process", ActivityKind.Consumer, parent);
        var recipients = SubscriptionRouter.Deliver(live, runSubscriptions, sessionSubscriptions);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", WorkflowStreams.EventsChannel);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.message.id", published.Event.EventId.ToString());
            activity.SetTag(HubTelemetry.RunIdAttribute, published.Event.RunId.ToString());
            activity.SetTag(HubTelemetry.RecipientsAttribute, recipients);
        }

        return recipients;
    }
}
