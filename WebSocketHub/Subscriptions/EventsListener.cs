using System.Diagnostics;
using Observability.Redis;
using Observability.Redis.PubSub;
using Observability.WebSocketHub.Telemetry;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// This instance's one subscription to <see cref="WorkflowStreams.EventsChannel"/> (the Redis client subscribes
/// again after a reconnect). Each published event is routed to the local subscriptions of its run and its session,
/// inside a <c>workflows.events process</c> consumer span that continues the publisher's trace.
/// </summary>
internal sealed class EventsListener(
    RedisClient redis,
    SubscriptionRouter router,
    TimeProvider timeProvider,
    ILogger<EventsListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                _subscribed.TrySetResult();
                var reader = subscription.Messages;
                while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var message))
                    {
                        Dispatch(message);
                    }
                }
            }
        }
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
